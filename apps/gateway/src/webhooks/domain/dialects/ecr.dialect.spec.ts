import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { ecrDialect as sut } from './ecr.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2025-03-04T05:06:07Z');
const DIGEST = fixtureDigest('index');
const HOST = '210987654321.dkr.ecr.us-west-2.amazonaws.com';
const options = { host: HOST, repository: 'payments/api', tag: 'prod-42', digest: DIGEST, pushedAt: AT, id: '13cde686-328b-6117-af20-0e5566167482' };
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const push = (overrides: object = {}) => registryWebhook('ecr').push({ ...options, ...overrides });

function edited(fixture: WebhookFixture, edit: (body: Record<string, any>) => void): WebhookFixture {
  const body = JSON.parse(fixture.body) as Record<string, any>;
  edit(body);
  return { ...fixture, body: JSON.stringify(body) };
}

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('ecr dialect', () => {
  it('maps an EventBridge push event field by field, building the host from account and region', () => {
    expect(parse(push())).toEqual({
      pushes: [{ host: HOST, repository: 'payments/api', tag: 'prod-42', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.000Z', source: 'ecr', deliveryId: options.id }],
      ignored: [],
      invalid: [],
    });
  });

  it('uses the amazonaws.com.cn domain in China regions', () => {
    expect(parse(push({ host: '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn' })).pushes[0]!.host).toBe('210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn');
  });

  it('lower-cases the repository', () => {
    expect(parse(push({ repository: 'Payments/API' })).pushes[0]!.repository).toBe('payments/api');
  });

  it('ignores untagged pushes and keeps only the tagged index of a multi-arch push', () => {
    const results = registryWebhook('ecr').multiArch(options).map(parse);
    expect(results.map((r) => r.ignored.map((i) => i.reason.replace(/@sha256:.*/, '')))).toEqual([
      ['untagged push (by digest or per-platform): payments/api'],
      ['untagged push (by digest or per-platform): payments/api'],
      [],
    ]);
    expect(results[2]!.pushes).toEqual([expect.objectContaining({ tag: 'prod-42', digest: DIGEST })]);
  });

  it('ignores scans, deletes, failed pushes and other sources, saying which', () => {
    const reasons = registryWebhook('ecr').irrelevant(options).map((d) => parse(d).ignored[0]!.reason);
    expect(reasons).toEqual(['ECR Image Scan event, not an image push', 'delete of payments/api:prod-42', 'push failed: payments/api:prod-42']);
    expect(parse(edited(push(), (b) => (b['source'] = 'aws.s3'))).ignored).toEqual([{ reason: 'EventBridge event from aws.s3, not aws.ecr', deliveryId: options.id }]);
  });

  it('names the missing or malformed field', () => {
    expect(payloadError(() => parse(edited(push(), (b) => delete b['detail']['repository-name'])))).toMatchObject({
      path: 'detail.repository-name',
      message: 'detail.repository-name is missing',
    });
    expect(payloadError(() => parse(edited(push(), (b) => delete b['detail']))).path).toBe('detail');
    expect(payloadError(() => parse(edited(push(), (b) => (b['account'] = 'acme')))).path).toBe('account');
    expect(payloadError(() => parse(edited(push(), (b) => (b['region'] = 'us west')))).path).toBe('region');
    expect(payloadError(() => parse(edited(push(), (b) => (b['detail']['image-digest'] = 'sha256:1')))).path).toBe('detail.image-digest');
    expect(payloadError(() => parse(edited(push(), (b) => delete b['detail-type']))).path).toBe('detail-type');
  });
});
