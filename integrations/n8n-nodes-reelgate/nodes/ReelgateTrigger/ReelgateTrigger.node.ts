import type { IDataObject, IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { reelgateRequest } from '../Reelgate/api';
import { verifySignature } from './signature';

/**
 * Registers this workflow's webhook URL as the account's Reelgate webhook endpoint when the workflow is activated,
 * keeps the signing secret Reelgate returns, verifies every delivery and starts the workflow on the chosen events.
 */
export class ReelgateTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reelgate Trigger',
		name: 'reelgateTrigger',
		icon: 'file:reelgate.svg',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow when a Reelgate job completes or fails',
		defaults: { name: 'Reelgate Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'reelgateApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['job.completed', 'job.failed'],
				options: [
					{ name: 'Job Completed', value: 'job.completed' },
					{ name: 'Job Failed', value: 'job.failed' },
					{ name: 'Job Canceled', value: 'job.canceled' },
				],
			},
			{
				displayName: 'Reelgate keeps one webhook endpoint per account: activating this workflow points it here.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				try {
					const endpoint = await reelgateRequest(this, 'GET', '/api/v1/webhook-endpoint');
					return endpoint.url === this.getNodeWebhookUrl('default') && endpoint.secret === data.secret;
				} catch {
					return false;
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const endpoint = await reelgateRequest(this, 'PUT', '/api/v1/webhook-endpoint', { url: this.getNodeWebhookUrl('default') });
				this.getWorkflowStaticData('node').secret = endpoint.secret;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node');
				const endpoint = await reelgateRequest(this, 'GET', '/api/v1/webhook-endpoint').catch(() => undefined);
				// Another workflow or person may have pointed the endpoint elsewhere since; theirs is left alone.
				if (endpoint?.url === this.getNodeWebhookUrl('default')) await reelgateRequest(this, 'DELETE', '/api/v1/webhook-endpoint');
				delete data.secret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as { rawBody?: Buffer; body: unknown };
		const headers = this.getHeaderData() as IDataObject;
		const secret = this.getWorkflowStaticData('node').secret as string | undefined;
		const body = request.rawBody ?? Buffer.from(JSON.stringify(request.body ?? {}));
		const valid = secret !== undefined && verifySignature(secret, String(headers['webhook-id'] ?? ''), String(headers['webhook-timestamp'] ?? ''),
			String(headers['webhook-signature'] ?? ''), body, Math.floor(Date.now() / 1000));
		const response = this.getResponseObject();
		if (!valid) {
			response.status(401).json({ error: 'invalid signature' });
			return { noWebhookResponse: true };
		}
		const event = JSON.parse(body.toString('utf8')) as IDataObject;
		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(String(event.type))) {
			response.status(200).json({ ignored: event.type });
			return { noWebhookResponse: true };
		}
		return { workflowData: [[{ json: event }]] };
	}
}
