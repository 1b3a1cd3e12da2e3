import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { join } from 'node:path';
import { apiKey, execute, home, n8n, output, reelgateUrl } from './harness.mjs';

// The importable recipe on the Keys page, built from n8n's own nodes only, run as a user would after import.
test('render-and-wait.json follows a render until done with built-in nodes only', async () => {
	const workflow = JSON.parse(readFileSync(new URL('../../n8n/render-and-wait.json', import.meta.url), 'utf8'));
	assert.ok(workflow.nodes.every((node) => node.type.startsWith('n8n-nodes-base.')));
	const file = join(home, 'header-credential.json');
	writeFileSync(file, JSON.stringify([{ id: 'reelgateKey', name: 'Reelgate key', type: 'httpHeaderAuth', data: { name: 'x-api-key', value: apiKey } }]));
	assert.equal((await n8n('import:credentials', `--input=${file}`)).code, 0);
	const settings = workflow.nodes.find((node) => node.name === 'Settings');
	settings.parameters.jsonOutput = settings.parameters.jsonOutput.replace('http://127.0.0.1:8080', reelgateUrl);

	const run = await execute({ ...workflow, id: 'recipe01' });

	assert.equal(run.code, 0, run.stdout + run.stderr);
	const [job] = output(run, 'Result');
	assert.equal(job.status, 'done');
	assert.ok(job.outputs.length > 0);
});
