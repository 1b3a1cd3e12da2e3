import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiKey, edit, executions, importWorkflow, n8n, query, reelgateUrl, startN8n } from './harness.mjs';

// A published workflow whose trigger is the Reelgate Trigger, in a running n8n: activation registers the account's
// webhook endpoint, and a real render's signed job.completed delivery starts it.
const workflowId = 'trigger01';
const webhookId = '5b0c6c1e-6f0e-4d47-9d7e-2f4a3c1b9e01';
const workflow = {
	id: workflowId, name: workflowId, active: false, settings: { executionOrder: 'v1' }, connections: {},
	nodes: [{
		id: 'trigger', name: 'Reelgate Trigger', type: 'CUSTOM.reelgateTrigger', typeVersion: 1, position: [0, 0], webhookId,
		parameters: { events: ['job.completed', 'job.failed'] }, credentials: { reelgateApi: { id: 'reelgateTest01', name: 'Reelgate' } },
	}],
};

const reelgate = (method, path, body) => fetch(`${reelgateUrl}${path}`, {
	method, headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
	body: body === undefined ? undefined : JSON.stringify(body),
});

async function eventually(what, check, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check().catch(() => undefined);
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s\n--- n8n output ---\n${instance?.log()}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

let instance;
let webhookUrl;

before(async () => {
	await importWorkflow(workflow);
	const published = await n8n('publish:workflow', `--id=${workflowId}`);
	assert.equal(published.code, 0, published.stdout + published.stderr);
	instance = await startN8n();
	console.log(`n8n start was ready in ${instance.startupMs} ms`);
	webhookUrl = `${instance.url}/webhook/${webhookId}/webhook`;
});

after(async () => {
	await instance?.stop();
	// The endpoint points at an n8n that is gone now; other tests' jobs should not queue deliveries to it.
	await reelgate('DELETE', '/api/v1/webhook-endpoint');
});

test('Activating the workflow registers its webhook URL as the account endpoint, and keeps the signing secret', async () => {
	const endpoint = await eventually('registration', async () => {
		const body = await (await reelgate('GET', '/api/v1/webhook-endpoint')).json();
		return body.url === webhookUrl ? body : undefined;
	}, 60_000);
	// The trigger keeps the secret in the workflow's static data, which n8n writes after activation.
	await eventually('the secret being stored', async () => {
		const [row] = await query('SELECT staticData FROM workflow_entity WHERE id = ?', [workflowId]);
		return row?.staticData?.includes(endpoint.secret);
	}, 60_000);
});

test('A render through Reelgate starts the workflow with the signed job.completed event and the job', async () => {
	const submitted = await reelgate('POST', '/api/v1/render', edit(1));
	assert.equal(submitted.status, 202, await submitted.clone().text());
	const job = await submitted.json();

	const execution = await eventually('an execution for the job', async () =>
		(await executions(workflowId)).find((e) => e.data.resultData?.runData?.['Reelgate Trigger']?.[0]?.data?.main?.[0]?.[0]?.json?.data?.id === job.id), 120_000);

	assert.equal(execution.status, 'success');
	const event = execution.data.resultData.runData['Reelgate Trigger'][0].data.main[0][0].json;
	assert.equal(event.type, 'job.completed');
	assert.equal(event.data.status, 'done');
	assert.ok(event.data.outputs.length > 0);
	const deliveries = await (await reelgate('GET', '/api/v1/webhook-deliveries')).json();
	const delivery = deliveries.data.find((d) => d.jobId === job.id);
	assert.equal(delivery.status, 'delivered');
	assert.equal(delivery.attempts.at(-1).statusCode, 200);
});

test('A delivery with a forged signature is refused with 401 and starts nothing', async () => {
	const body = JSON.stringify({ type: 'job.completed', timestamp: new Date().toISOString(), data: { id: 'forged' } });
	const answer = await fetch(webhookUrl, {
		method: 'POST', body,
		headers: {
			'Content-Type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
			'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
		},
	});

	assert.equal(answer.status, 401);
	assert.ok(!(await executions(workflowId)).some((e) => e.data.resultData?.runData?.['Reelgate Trigger']?.[0]?.data?.main?.[0]?.[0]?.json?.data?.id === 'forged'));
});
