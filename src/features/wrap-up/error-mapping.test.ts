import { ApiError } from '@/lib/genesys/api-error.ts';
import { explainFailure, WRAPUP_PERMISSION } from './error-mapping.ts';

const http = (status: number, code: string, message: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
  new ApiError({ kind: 'http', status, code, message, contextId: 'ctx-1', ...extra });

describe('explainFailure', () => {
  it('400 with invalid.wrapup.code → code not allowed for this queue', () => {
    const e = http(400, 'bad.request', 'Wrap-up code w9 is not valid for this participant.', {
      details: [{ fieldName: 'code', errorCode: 'invalid.wrapup.code' }],
    });
    expect(explainFailure(e)).toEqual({ reason: 'codeNotAllowed' });
  });

  it('400 about the communication state → not in a state that accepts wrap-up', () => {
    expect(explainFailure(http(400, 'bad.request', 'Communication m1 is not disconnected; wrap-up can only be set after the interaction ends.'))).toEqual({
      reason: 'notDisconnected',
    });
  });

  it('400 with other messages: window, notes, non-agent, and a generic hint otherwise', () => {
    expect(explainFailure(http(400, 'bad.request', 'The wrap-up window for communication m1 has closed.')).reason).toBe('windowClosed');
    expect(explainFailure(http(400, 'bad.request', 'Too long', { details: [{ fieldName: 'notes', errorCode: 'size' }] })).reason).toBe('notesTooLong');
    expect(explainFailure(http(400, 'bad.request', 'Participant p1 is not an agent participant.')).reason).toBe('notAgent');
    expect(explainFailure(http(400, 'bad.request', 'Something else entirely.')).reason).toBe('badRequest');
  });

  it('403 missing.permissions names the permission the platform named', () => {
    const named = http(403, 'missing.permissions', 'You are missing the following permission(s): [conversation:participant:wrapup]');
    expect(explainFailure(named)).toEqual({ reason: 'missingPermission', permission: 'conversation:participant:wrapup' });
    const params = http(403, 'missing.permissions', 'Missing permissions', { body: { messageParams: { permissions: 'routing:wrapupCode:view' } } });
    expect(explainFailure(params)).toEqual({ reason: 'missingPermission', permission: 'routing:wrapupCode:view' });
    expect(explainFailure(http(403, 'missing.permissions', 'Missing'))).toEqual({ reason: 'missingPermission', permission: WRAPUP_PERMISSION });
  });

  it('403 otherwise → the platform refuses supervisors here', () => {
    expect(explainFailure(http(403, 'not.authorized', "Only the participant's own user may set its wrap-up."))).toEqual({ reason: 'supervisorRefused' });
  });

  it('404 → the conversation is gone; 409 conflict; 401 signed out; 5xx platform', () => {
    expect(explainFailure(http(404, 'not.found', 'Conversation c1 not found')).reason).toBe('conversationGone');
    expect(explainFailure(http(409, 'conflict', 'already has a wrap-up')).reason).toBe('conflict');
    expect(explainFailure(http(401, 'bad.credentials', 'expired')).reason).toBe('signedOut');
    expect(explainFailure(http(503, 'service.unavailable', 'down')).reason).toBe('platformError');
    expect(explainFailure(http(429, 'too.many.requests', 'slow down')).reason).toBe('rateLimited');
  });

  it('transport failures', () => {
    expect(explainFailure(new ApiError({ kind: 'network', status: 0, code: 'network', message: 'x' })).reason).toBe('network');
    expect(explainFailure(new ApiError({ kind: 'timeout', status: 0, code: 'timeout', message: 'x' })).reason).toBe('timeout');
    expect(explainFailure(new ApiError({ kind: 'usage', status: 0, code: 'usage', message: 'x' })).reason).toBe('unexpected');
  });
});
