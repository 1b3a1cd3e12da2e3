import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IWebhookFunctions, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

type Context = IExecuteFunctions | IHookFunctions | IWebhookFunctions;

export const FINAL = ['done', 'failed', 'canceled'];

/**
 * One call to Reelgate's API with the node's credential. Errors become n8n errors carrying the problem's title,
 * detail and field errors, so the workflow shows what to fix instead of "Bad request".
 */
export async function reelgateRequest(
	ctx: Context,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	itemIndex = 0,
): Promise<IDataObject> {
	const credentials = await ctx.getCredentials('reelgateApi');
	const baseUrl = String(credentials.baseUrl).replace(/\/+$/, '');
	let response: { statusCode: number; body: unknown };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'reelgateApi', {
			method,
			url: `${baseUrl}${path}`,
			body,
			json: true,
			headers: { Accept: 'application/json' },
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			timeout: 90_000,
		});
	} catch (error) {
		throw new NodeApiError(ctx.getNode(), { message: (error as Error).message }, {
			message: `Could not reach Reelgate at ${baseUrl}`,
			description: (error as Error).message,
			itemIndex,
		});
	}
	if (response.statusCode >= 400) throw problemError(ctx, response.statusCode, response.body, itemIndex);
	return (response.body ?? {}) as IDataObject;
}

export function problemError(ctx: Context, status: number, body: unknown, itemIndex: number): NodeOperationError {
	const problem = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const title = typeof problem.title === 'string' ? problem.title : `Reelgate answered ${status}`;
	const lines: string[] = [];
	if (typeof problem.detail === 'string') lines.push(problem.detail);
	const errors = (problem.errors ?? {}) as Record<string, unknown>;
	for (const [field, messages] of Object.entries(errors)) {
		for (const message of Array.isArray(messages) ? messages : [messages]) lines.push(`${field}: ${String(message)}`);
	}
	const fields = Object.keys(errors);
	return new NodeOperationError(ctx.getNode(), fields.length ? `${title} (${fields.join(', ')})` : title, {
		description: lines.join('\n'),
		itemIndex,
	});
}

/**
 * Follows a job by long polls (each answers at once when the status changes) until it is done, failed or
 * canceled, or until maxSeconds have passed, when the job is returned as it is.
 */
export async function waitForJob(ctx: IExecuteFunctions, jobId: string, maxSeconds: number, itemIndex: number): Promise<IDataObject> {
	const deadline = Date.now() + maxSeconds * 1000;
	let job = await reelgateRequest(ctx, 'GET', `/api/v1/job/${jobId}`, undefined, itemIndex);
	while (!FINAL.includes(String(job.status)) && Date.now() < deadline) {
		const wait = Math.max(1, Math.min(60, Math.ceil((deadline - Date.now()) / 1000)));
		job = await reelgateRequest(ctx, 'GET', `/api/v1/job/${jobId}?wait=${wait}&since=${job.status}`, undefined, itemIndex);
	}
	if (job.status === 'failed' || job.status === 'canceled') {
		const error = (job.error ?? {}) as IDataObject;
		throw new NodeOperationError(ctx.getNode(), `Reelgate job ${jobId} ${job.status}`, {
			description: error.code ? `${error.code}: ${error.message}` : `The job was ${job.status}.`,
			itemIndex,
		});
	}
	return job;
}
