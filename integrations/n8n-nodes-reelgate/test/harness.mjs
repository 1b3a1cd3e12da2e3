// Runs workflows in a real n8n (2.8.4, from N8N_BIN) with this package loaded as custom nodes, against the
// Reelgate at REELGATE_URL with the funded key REELGATE_API_KEY (./test starts both).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

export const reelgateUrl = required('REELGATE_URL');
export const apiKey = required('REELGATE_API_KEY');
const n8nBin = required('N8N_BIN');
export const home = mkdtempSync(join(tmpdir(), 'reelgate-n8n-'));
const env = {
	...process.env,
	N8N_USER_FOLDER: home,
	N8N_CUSTOM_EXTENSIONS: join(here, '..', 'dist'),
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_RUNNERS_ENABLED: 'false',
	N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
	DB_SQLITE_POOL_SIZE: '1',
};

function required(name) {
	const value = process.env[name];
	if (!value) throw new Error(`Set ${name} (./test does)`);
	return value;
}

export async function n8n(...args) {
	try {
		const { stdout, stderr } = await run(n8nBin, args, { env, maxBuffer: 64 << 20, timeout: 300_000 });
		return { code: 0, stdout, stderr };
	} catch (error) {
		return { code: error.code ?? 1, stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) };
	}
}

let credentialsImported;
/** The Reelgate credential, imported once, under the id workflows name. */
export function importCredentials() {
	credentialsImported ??= (async () => {
		const file = join(home, 'credentials.json');
		writeFileSync(file, JSON.stringify([{ id: 'reelgateTest01', name: 'Reelgate', type: 'reelgateApi', data: { baseUrl: reelgateUrl, apiKey } }]));
		const result = await n8n('import:credentials', `--input=${file}`);
		if (result.code !== 0) throw new Error(`import:credentials failed: ${result.stderr}`);
	})();
	return credentialsImported;
}

const credentials = { reelgateApi: { id: 'reelgateTest01', name: 'Reelgate' } };

/** A workflow of a manual trigger followed by the given nodes, one after another. */
export function chain(id, nodes) {
	const all = [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, ...nodes.map((node, i) => ({
		id: `n${i}`, typeVersion: 1, position: [(i + 1) * 220, 0], credentials: node.type.startsWith('CUSTOM.') ? credentials : undefined, ...node,
	}))];
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: id, active: false, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

/** Imports and executes a workflow; returns n8n's exit code, its run data (by node name) and its output. */
export async function execute(workflow) {
	await importCredentials();
	const file = join(home, `${workflow.id}.json`);
	writeFileSync(file, JSON.stringify(workflow));
	const imported = await n8n('import:workflow', `--input=${file}`);
	if (imported.code !== 0) throw new Error(`import:workflow failed: ${imported.stderr}`);
	const result = await n8n('execute', `--id=${workflow.id}`, '--rawOutput');
	const start = result.stdout.indexOf('{');
	let data = null;
	if (start >= 0) {
		try { data = JSON.parse(result.stdout.slice(start)); } catch { data = null; }
	}
	return { ...result, data };
}

/** The JSON items a node produced in a finished run. */
export function output(data, node) {
	const runs = data?.resultData?.runData?.[node] ?? data?.data?.resultData?.runData?.[node];
	return runs?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
}

export const edit = (seconds) => ({
	timeline: { background: '#102030', tracks: [{ clips: [{ asset: { type: 'title', text: 'n8n', style: 'minimal' }, start: 0, length: seconds }] }] },
	output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 12 },
});
