import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chain, edit, execute, output } from './harness.mjs';

const reelgate = (name, parameters) => ({ name, type: 'CUSTOM.reelgate', parameters });

test('Render with wait for completion, then Get Job, Get Videos and Get Credits', async () => {
	const run = await execute(chain('renderWait01', [
		reelgate('Render', { operation: 'render', edit: JSON.stringify(edit(2)), waitForCompletion: true, maxWait: 120 }),
		reelgate('Get Job', { operation: 'getJob', jobId: '={{ $json.id }}' }),
		reelgate('Get Videos', { operation: 'getVideos', jobId: '={{ $json.id }}' }),
		reelgate('Get Credits', { operation: 'getCredits' }),
	]));
	assert.equal(run.code, 0, run.stdout + run.stderr);
	const [rendered] = output(run, 'Render');
	assert.equal(rendered.status, 'done');
	assert.ok(rendered.credits.charged > 0);
	assert.equal(output(run, 'Get Job')[0].id, rendered.id);
	const [videos] = output(run, 'Get Videos');
	assert.equal(videos.videos[0].source, 'storage');
	const video = await fetch(videos.videos[0].url);
	assert.equal(video.status, 200);
	assert.equal(Buffer.from(await video.arrayBuffer()).subarray(4, 8).toString('ascii'), 'ftyp');
	assert.equal(typeof output(run, 'Get Credits')[0].available, 'number');
});

test('An invalid Edit fails the node with the problem title and each field error', async () => {
	const run = await execute(chain('renderInvalid01', [
		reelgate('Render', { operation: 'render', edit: JSON.stringify({ timeline: { tracks: [] }, output: { format: 'mp4' } }) }),
	]));
	assert.notEqual(run.code, 0);
	const text = run.stdout + run.stderr;
	assert.match(text, /The request is invalid\./);
	assert.match(text, /timeline\.tracks/);
});

test('Cancel a job just submitted releases its credits', async () => {
	const run = await execute(chain('renderCancel01', [
		reelgate('Render', { operation: 'render', edit: JSON.stringify(edit(60)) }),
		reelgate('Cancel', { operation: 'cancel', jobId: '={{ $json.id }}' }),
	]));
	assert.equal(run.code, 0, run.stdout + run.stderr);
	const [canceled] = output(run, 'Cancel');
	assert.equal(canceled.status, 'canceled');
	assert.equal(canceled.credits.charged, 0);
});

test('Generate a clip from a prompt and wait for it', async () => {
	const run = await execute(chain('generate01', [
		reelgate('Generate', { operation: 'generate', prompt: 'A title card from n8n', durationSec: 5, waitForCompletion: true, maxWait: 180 }),
	]));
	assert.equal(run.code, 0, run.stdout + run.stderr);
	const [clip] = output(run, 'Generate');
	assert.equal(clip.kind, 'generation');
	assert.equal(clip.status, 'done');
});
