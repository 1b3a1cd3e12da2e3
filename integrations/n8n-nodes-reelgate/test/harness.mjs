// Runs workflows in a real n8n (2.8.4, from N8N_BIN) with this package loaded as custom nodes, against the
// Reelgate at REELGATE_URL with the funded key REELGATE_API_KEY (./test starts both).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
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
	N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
	DB_SQLITE_POOL_SIZE: '1',
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
};
// n8n's own SQLite driver and run-data serializer: reading its database this way adds no dependency of ours.
const n8nRequire = createRequire(realpathSync(n8nBin));
const sqlite3 = n8nRequire('sqlite3');
const flatted = n8nRequire('flatted');

function required(name) {
	const value = process.env[name];
	if (!value) throw new Error(`Set ${name} (./test does)`);
	return value;
}

/** A port free on 127.0.0.1 at the moment of asking. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** The environment of one n8n process: its task broker gets a port of its own, since n8n exits when 5679 is taken. */
export async function n8nEnv(extra = {}) {
	return { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...extra };
}

export async function n8n(...args) {
	try {
		const { stdout, stderr } = await run(n8nBin, args, { env: await n8nEnv(), maxBuffer: 64 << 20, timeout: 300_000 });
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

/** Writes a workflow to a file and imports it, under its own id. */
export async function importWorkflow(workflow) {
	await importCredentials();
	const file = join(home, `${workflow.id}.json`);
	writeFileSync(file, JSON.stringify(workflow));
	const imported = await n8n('import:workflow', `--input=${file}`);
	if (imported.code !== 0) throw new Error(`import:workflow failed: ${imported.stdout}${imported.stderr}`);
}

/** Imports and executes a workflow; returns n8n's exit code and output, and the execution n8n stored. */
export async function execute(workflow) {
	await importWorkflow(workflow);
	const result = await n8n('execute', `--id=${workflow.id}`, '--rawOutput');
	// Read from n8n's database rather than its stdout, where log lines and run data share one stream.
	return { ...result, execution: (await executions(workflow.id))[0] ?? null };
}

/** Runs SQL against n8n's database, read-only, and returns the rows. */
export async function query(sql, parameters) {
	const db = await new Promise((resolve, reject) => {
		const opened = new sqlite3.Database(join(home, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(opened)));
	});
	try {
		return await new Promise((resolve, reject) => db.all(sql, parameters, (error, rows) => (error ? reject(error) : resolve(rows))));
	} finally {
		await new Promise((resolve) => db.close(resolve));
	}
}

/** The stored executions of a workflow, newest first: their id, status and run data. */
export async function executions(workflowId) {
	const rows = await query(
		`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
		 WHERE e.workflowId = ? ORDER BY CAST(e.id AS INTEGER) DESC`, [workflowId]);
	return rows.map((row) => ({ id: String(row.id), status: row.status, data: flatted.parse(row.data) }));
}

/**
 * Starts `n8n start` on free ports, serving the published workflows' production webhooks under its own URL.
 * Resolves once n8n has activated them: its HTTP server answers before that, and n8n announces the editor only
 * after. `stop()` ends it, `log()` is everything it printed.
 */
export async function startN8n() {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	let printed = '';
	const child = spawn(n8nBin, ['start'], {
		env: await n8nEnv({
			N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', WEBHOOK_URL: `${url}/`, N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false', N8N_TEMPLATES_ENABLED: 'false', N8N_PERSONALIZATION_ENABLED: 'false',
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.on('data', (chunk) => { printed += chunk; });
	child.stderr.on('data', (chunk) => { printed += chunk; });
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
	const started = Date.now();
	const instance = {
		url,
		log: () => printed,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		},
	};
	const deadline = started + 180_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode}:\n${printed}`);
		const ready = printed.includes('Editor is now accessible via') && await fetch(`${url}/healthz/readiness`).then((r) => r.ok, () => false);
		if (ready) return { ...instance, startupMs: Date.now() - started };
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	await instance.stop();
	throw new Error(`n8n start was not ready within 180 s:\n${printed}`);
}

/** The JSON items a node produced in a run; fails with n8n's own output when the node produced none. */
export function output(run, node) {
	const items = run.execution?.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0];
	if (!items?.length) {
		const execution = run.execution ? `execution ${run.execution.id} ${run.execution.status}` : 'no execution stored';
		throw new Error(`n8n has no output from node "${node}" (exit code ${run.code}, ${execution})\n`
			+ `--- n8n stdout ---\n${run.stdout}\n--- n8n stderr ---\n${run.stderr}`);
	}
	return items.map((item) => item.json);
}

export const edit = (seconds) => ({
	timeline: { background: '#102030', tracks: [{ clips: [{ asset: { type: 'title', text: 'n8n', style: 'minimal' }, start: 0, length: seconds }] }] },
	output: { format: 'mp4', size: { width: 160, height: 90 }, fps: 12 },
});
