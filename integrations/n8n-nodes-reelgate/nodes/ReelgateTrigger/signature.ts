import { createHmac, timingSafeEqual } from 'crypto';

/** Oldest and newest a delivery's timestamp may be, as Standard Webhooks verifiers allow. */
export const TOLERANCE_SECONDS = 300;

/**
 * Verifies a Standard Webhooks signature: any "v1,<base64 HMAC-SHA256(id.timestamp.body)>" in the space-separated
 * header matches (compared in constant time), and the timestamp is within tolerance of now.
 */
export function verifySignature(secret: string, id: string, timestamp: string, signatures: string, body: Buffer, nowSeconds: number): boolean {
	if (!id || !/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return false;
	const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
	const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
	return signatures.split(' ').some((entry) => {
		const [version, value] = entry.split(',', 2);
		if (version !== 'v1' || !value) return false;
		const given = Buffer.from(value, 'base64');
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
}
