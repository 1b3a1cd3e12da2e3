import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { reelgateRequest, waitForJob } from './api';

const show = (...operation: string[]) => ({ show: { operation } });

const waitFields = (operation: string): INodeProperties[] => [
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: 'Whether to hold this node until the job is done (long polls, no request budget spent while waiting); a failed or canceled job raises an error',
		displayOptions: show(operation),
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 900,
		description: 'After this long the job is returned as it is',
		displayOptions: { show: { operation: [operation], waitForCompletion: [true] } },
	},
];

const jobId: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	default: '',
	required: true,
	displayOptions: show('getJob', 'getVideos', 'cancel'),
};

export class Reelgate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reelgate',
		name: 'reelgate',
		icon: 'file:reelgate.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Render Shotstack Edits and generate clips with Reelgate',
		defaults: { name: 'Reelgate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'reelgateApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'render',
				options: [
					{ name: 'Render', value: 'render', action: 'Render an edit', description: 'Render a Shotstack Edit' },
					{ name: 'Generate', value: 'generate', action: 'Generate a clip', description: 'Generate a clip from a prompt and/or an image' },
					{ name: 'Get Job', value: 'getJob', action: 'Get a job' },
					{ name: 'Get Videos', value: 'getVideos', action: 'Get the videos of a job' },
					{ name: 'Cancel', value: 'cancel', action: 'Cancel a job' },
					{ name: 'Get Credits', value: 'getCredits', action: 'Get the credit balance' },
				],
			},
			{
				displayName: 'Edit (JSON)',
				name: 'edit',
				type: 'json',
				default: '{\n  "timeline": {"tracks": [{"clips": [{"asset": {"type": "title", "text": "Hello"}, "start": 0, "length": 3}]}]},\n  "output": {"format": "mp4", "resolution": "sd"}\n}',
				required: true,
				description: 'A Shotstack Edit: timeline, output and optional merge fields',
				displayOptions: show('render'),
			},
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				default: '',
				options: [
					{ name: 'Deployment Default', value: '' },
					{ name: 'Local', value: 'local' },
					{ name: 'Shotstack', value: 'shotstack' },
				],
				displayOptions: show('render'),
			},
			...waitFields('render'),
			{ displayName: 'Prompt', name: 'prompt', type: 'string', typeOptions: { rows: 3 }, default: '', displayOptions: show('generate') },
			{ displayName: 'Image URL', name: 'imageUrl', type: 'string', default: '', description: 'A JPEG, PNG or WebP image to animate', displayOptions: show('generate') },
			{
				displayName: 'Duration',
				name: 'durationSec',
				type: 'options',
				default: 5,
				options: [
					{ name: '5 Seconds', value: 5 },
					{ name: '10 Seconds', value: 10 },
					{ name: '15 Seconds', value: 15 },
				],
				displayOptions: show('generate'),
			},
			{
				displayName: 'Provider',
				name: 'generationProvider',
				type: 'options',
				default: '',
				options: [
					{ name: 'Deployment Default', value: '' },
					{ name: 'Local', value: 'local' },
					{ name: 'Runway', value: 'runway' },
					{ name: 'RunPod', value: 'runpod' },
				],
				displayOptions: show('generate'),
			},
			...waitFields('generate'),
			jobId,
			...waitFields('getJob'),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const results: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				results.push({ json: await run(this, this.getNodeParameter('operation', i) as string, i), pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				const failure = error as NodeOperationError;
				results.push({ json: { error: failure.message, description: failure.description ?? null }, pairedItem: { item: i } });
			}
		}
		return [results];
	}
}

async function run(ctx: IExecuteFunctions, operation: string, i: number): Promise<IDataObject> {
	const id = () => encodeURIComponent((ctx.getNodeParameter('jobId', i) as string).trim());
	const follow = async (submitted: IDataObject) =>
		ctx.getNodeParameter('waitForCompletion', i, false)
			? waitForJob(ctx, String(submitted.id), ctx.getNodeParameter('maxWait', i, 900) as number, i)
			: submitted;
	switch (operation) {
		case 'render': {
			const provider = ctx.getNodeParameter('provider', i) as string;
			return follow(await reelgateRequest(ctx, 'POST', `/api/v1/render${provider ? `?provider=${provider}` : ''}`, parseEdit(ctx, i), i));
		}
		case 'generate': {
			const body: IDataObject = { durationSec: ctx.getNodeParameter('durationSec', i) };
			for (const [name, field] of [['prompt', 'prompt'], ['imageUrl', 'imageUrl'], ['generationProvider', 'provider']]) {
				const value = (ctx.getNodeParameter(name, i) as string).trim();
				if (value) body[field] = value;
			}
			return follow(await reelgateRequest(ctx, 'POST', '/api/v1/generate', body, i));
		}
		case 'getJob':
			return follow(await reelgateRequest(ctx, 'GET', `/api/v1/job/${id()}`, undefined, i));
		case 'getVideos':
			return reelgateRequest(ctx, 'GET', `/api/v1/videos/${id()}`, undefined, i);
		case 'cancel':
			return reelgateRequest(ctx, 'POST', `/api/v1/jobs/${id()}/cancel`, undefined, i);
		case 'getCredits':
			return reelgateRequest(ctx, 'GET', '/api/v1/credits', undefined, i);
		default:
			throw new NodeOperationError(ctx.getNode(), `Unknown operation '${operation}'`, { itemIndex: i });
	}
}

function parseEdit(ctx: IExecuteFunctions, i: number): IDataObject {
	const edit = ctx.getNodeParameter('edit', i);
	if (typeof edit === 'object' && edit !== null) return edit as IDataObject;
	try {
		return JSON.parse(String(edit)) as IDataObject;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), 'Edit (JSON) is not valid JSON', { description: (error as Error).message, itemIndex: i });
	}
}
