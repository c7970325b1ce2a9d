import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { garDialect as sut } from './gar.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2025-03-04T05:06:07.749Z');
const DIGEST = fixtureDigest('index');
const HOST = 'us-east1-docker.pkg.dev';
const options = { host: HOST, repository: 'my-project/apps/hello', tag: '1.1', digest: DIGEST, pushedAt: AT, id: '2070443601311540' };
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const wrapped = () => registryWebhook('gar').push(options);

/** A wrapped delivery carrying `data` (any JSON) as its message. */
function withData(data: unknown, encode = (text: string) => Buffer.from(text).toString('base64')): WebhookFixture {
  const body = JSON.parse(wrapped().body) as Record<string, any>;
  body['message'].data = encode(JSON.stringify(data));
  return { ...wrapped(), body: JSON.stringify(body) };
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

describe('gar dialect', () => {
  it('maps a wrapped Pub/Sub push field by field', () => {
    expect(parse(wrapped())).toEqual({
      pushes: [{ host: HOST, repository: 'my-project/apps/hello', tag: '1.1', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.749Z', source: 'gar', deliveryId: '2070443601311540' }],
      ignored: [],
      invalid: [],
    });
  });

  it('reads the snake_case message_id and publish_time alone', () => {
    const body = JSON.parse(wrapped().body) as Record<string, any>;
    delete body['message'].messageId;
    delete body['message'].publishTime;
    expect(parse({ ...wrapped(), body: JSON.stringify(body) }).pushes[0]).toMatchObject({ deliveryId: '2070443601311540', pushedAt: AT.toISOString() });
  });

  it('reads an unwrapped delivery with its x-goog-pubsub-* headers, or without them', () => {
    const unwrapped = registryWebhook('gar', { garUnwrapped: true }).push(options);
    expect(JSON.parse(unwrapped.body)).toEqual({ action: 'INSERT', digest: `${HOST}/my-project/apps/hello@${DIGEST}`, tag: `${HOST}/my-project/apps/hello:1.1` });
    expect(parse(unwrapped).pushes[0]).toMatchObject({ deliveryId: '2070443601311540', pushedAt: AT.toISOString(), digest: DIGEST });
    const bare = parse({ ...unwrapped, headers: { 'content-type': 'application/json' } }).pushes[0]!;
    expect(bare.pushedAt).toBe(RECEIVED.toISOString());
    expect(bare).not.toHaveProperty('deliveryId');
  });

  it('lower-cases host and repository', () => {
    const fixture = registryWebhook('gar').push({ ...options, host: 'US-East1-Docker.pkg.dev', repository: 'My-Project/Apps/Hello' });
    expect(parse(fixture).pushes[0]).toMatchObject({ host: HOST, repository: 'my-project/apps/hello' });
  });

  it('ignores the digest-only INSERTs of a push and keeps the tagged one', () => {
    const results = registryWebhook('gar').multiArch(options).map(parse);
    expect(results.map((r) => r.pushes.length)).toEqual([0, 0, 0, 1]);
    expect(results[0]!.ignored[0]!.reason).toMatch(/^digest-only upload \(no tag\): us-east1-docker.pkg.dev\/my-project\/apps\/hello@sha256:/);
    expect(results[3]!.pushes[0]).toMatchObject({ tag: '1.1', digest: DIGEST });
  });

  it('ignores deletes by tag or digest', () => {
    expect(registryWebhook('gar').irrelevant(options).map((d) => parse(d).ignored[0]!.reason)).toEqual([
      `delete of ${HOST}/my-project/apps/hello:1.1`,
      `delete of ${HOST}/my-project/apps/hello@${DIGEST}`,
    ]);
  });

  it('takes a tagged INSERT without digest as a push without digest', () => {
    expect(parse(withData({ action: 'INSERT', tag: `${HOST}/p/r/i:2` })).pushes[0]).toEqual(expect.not.objectContaining({ digest: expect.anything() }));
  });

  it('rejects bad base64, data that is not JSON and malformed references on message.data', () => {
    expect(payloadError(() => parse(withData({}, () => 'not base64!')))).toMatchObject({ path: 'message.data', message: 'message.data is not base64' });
    expect(payloadError(() => parse(withData({}, () => Buffer.from('{"action":').toString('base64')))).path).toBe('message.data');
    expect(payloadError(() => parse(withData({ action: 'INSERT', tag: `${HOST}/p/r/i` }))).path).toBe('message.data.tag');
    expect(payloadError(() => parse(withData({ action: 'INSERT', tag: `${HOST}/p/r/i:1`, digest: 'nope' }))).path).toBe('message.data.digest');
    expect(payloadError(() => parse(withData({ tag: `${HOST}/p/r/i:1` }))).path).toBe('message.data.action');
  });
});
