/** The platform's error body (Models.ErrorBody) with a fresh contextId every time. */
import { randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';

export interface ApiError {
  status: number;
  code: string;
  message: string;
  messageParams?: Record<string, string>;
  details?: Models.Detail[];
}

export function errorBody(err: ApiError): Models.ErrorBody {
  const params = err.messageParams ?? {};
  let withParams = err.message;
  for (const [k, v] of Object.entries(params)) withParams = withParams.split(v).join(`{${k}}`);
  return {
    message: err.message,
    code: err.code,
    status: err.status,
    messageWithParams: withParams,
    messageParams: params,
    contextId: randomUUID(),
    details: err.details ?? [],
    errors: [],
  };
}

export const notFound = (what = 'The requested resource was not found.'): ApiError => ({ status: 404, code: 'not.found', message: what });
export const badRequest = (message: string, messageParams?: Record<string, string>): ApiError => ({ status: 400, code: 'bad.request', message, messageParams });
export const missingPermissions = (perms: readonly string[]): ApiError => ({
  status: 403,
  code: 'missing.permissions',
  message: `Unable to perform the requested action. You are missing the following permission(s): [${perms.join(', ')}]`,
  messageParams: { permissions: perms.join(', ') },
});
export const notAuthorized = (message: string): ApiError => ({ status: 403, code: 'not.authorized', message });
/** The `rateRefuse` fault's answer, with the platform's code for each status. */
export function refusal(status: number): ApiError {
  switch (status) {
    case 403:
      return notAuthorized('You are not authorized to perform the requested action.');
    case 404:
      return notFound();
    case 409:
      return { status: 409, code: 'conflict', message: 'The request could not be completed due to a conflict.' };
    case 422:
      return { status: 422, code: 'unprocessable.entity', message: 'The request could not be processed.' };
    default:
      return badRequest('The request could not be understood by the server due to malformed syntax.');
  }
}
export const authRequired = (): ApiError => ({
  status: 401,
  code: 'authentication.required',
  message: 'No authentication bearer token specified in authorization header.',
});
export const badCredentials = (): ApiError => ({ status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' });
export const tooManyRequests = (limit: number): ApiError => ({
  status: 429,
  code: 'too.many.requests',
  message: `Rate limit exceeded the maximum. [${limit}] requests for [60] seconds`,
  messageParams: { limit: String(limit) },
});
