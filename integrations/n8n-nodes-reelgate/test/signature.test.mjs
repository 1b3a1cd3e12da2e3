import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';

const { verifySignature } = createRequire(import.meta.url)('../dist/nodes/ReelgateTrigger/signature.js');

// The Standard Webhooks specification's published example.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = '1614265330';
const body = Buffer.from('{"test": 2432232314}');
const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

test('accepts the specification example, also as the last of several signatures', () => {
	assert.equal(verifySignature(secret, id, timestamp, signature, body, 1614265330), true);
	assert.equal(verifySignature(secret, id, timestamp, `v1,AAAA ${signature}`, body, 1614265330), true);
});

test('refuses a changed body, another secret, an old timestamp and a non-v1 scheme', () => {
	assert.equal(verifySignature(secret, id, timestamp, signature, Buffer.from('{"test": 2432232315}'), 1614265330), false);
	assert.equal(verifySignature('whsec_' + Buffer.from('other').toString('base64'), id, timestamp, signature, body, 1614265330), false);
	assert.equal(verifySignature(secret, id, timestamp, signature, body, 1614265330 + 301), false);
	assert.equal(verifySignature(secret, id, timestamp, signature.replace('v1,', 'v2,'), body, 1614265330), false);
});
