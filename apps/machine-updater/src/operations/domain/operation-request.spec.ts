import { parseOperationRequest } from './operation-request';
import { machineFacts } from './machine-facts';

const create = (over: Record<string, unknown> = {}) => ({
  app: 'demo',
  key: 'r1:create:app:1',
  kind: 'create',
  releaseId: 'r1',
  releaseVersion: 1,
  processGroup: 'app',
  config: { image: 'img@sha256:1', metadata: {} },
  skipLaunch: false,
  waitForHealth: true,
  waitTimeoutMs: 1000,
  ...over,
});

describe(parseOperationRequest.name, () => {
  it('accepts a create without a region: the platform chooses (issue 14 point 2)', () => {
    const parsed = parseOperationRequest(create());
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && machineFacts(parsed.request)).not.toHaveProperty('region');
  });

  it('still refuses a region that is not a string, naming it', () => {
    expect(parseOperationRequest(create({ region: 7 }))).toEqual({ ok: false, reason: 'region must be a string when present' });
    expect(parseOperationRequest(create({ processGroup: undefined }))).toEqual({ ok: false, reason: 'missing or non-string field(s): processGroup' });
  });
});
