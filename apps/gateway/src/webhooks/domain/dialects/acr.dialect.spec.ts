import { fixtureDelivery, fixtureDigest, registryWebhook, type WebhookFixture } from '@hangar/testing';
import { WebhookPayloadError } from '../webhook-delivery';
import { acrDialect as sut } from './acr.dialect';

const RECEIVED = new Date('2025-03-04T05:10:00Z');
const AT = new Date('2025-03-04T05:06:07.343Z');
const DIGEST = fixtureDigest('index');
const HOST = 'contoso.azurecr.io';
const options = { host: HOST, repository: 'shop/frontend', tag: 'v7', digest: DIGEST, pushedAt: AT, id: 'cb8c3971-9adc-488b-bdd8-43cbb4974ff5' };
const parse = (fixture: WebhookFixture) => sut.parse(fixtureDelivery(fixture, RECEIVED));
const webhook = () => registryWebhook('acr').push(options);
const eventGrid = () => registryWebhook('acr', { acrEventGrid: true }).push(options);

function edited(fixture: WebhookFixture, edit: (body: any) => void): WebhookFixture {
  const body = JSON.parse(fixture.body) as unknown;
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

const expected = { host: HOST, repository: 'shop/frontend', tag: 'v7', digest: DIGEST, pushedAt: '2025-03-04T05:06:07.343Z', source: 'acr', deliveryId: options.id };

describe('acr dialect', () => {
  it('maps a registry webhook push field by field (seven-digit fraction)', () => {
    expect(JSON.parse(webhook().body).timestamp).toBe('2025-03-04T05:06:07.3430000Z');
    expect(parse(webhook())).toEqual({ pushes: [expected], ignored: [], invalid: [] });
  });

  it('maps the same push delivered by Event Grid, as an array or a single event', () => {
    expect(parse(eventGrid())).toEqual({ pushes: [expected], ignored: [], invalid: [] });
    const single = { ...eventGrid(), body: JSON.stringify(JSON.parse(eventGrid().body)[0]) };
    expect(parse(single).pushes).toEqual([expected]);
  });

  it('keeps the good events of an Event Grid batch with a bad one, naming the bad field', () => {
    const [event] = JSON.parse(eventGrid().body) as any[];
    const bad = JSON.parse(JSON.stringify(event));
    delete bad.data.target.repository;
    const other = JSON.parse(JSON.stringify(event));
    other.data.target.tag = 'v8';
    other.data.id = 'other';
    const result = parse({ ...eventGrid(), body: JSON.stringify([event, bad, other]) });
    expect(result.pushes.map((p) => p.tag)).toEqual(['v7', 'v8']);
    expect(result.invalid).toEqual([{ path: '[1].data.target.repository', message: '[1].data.target.repository is missing' }]);
  });

  it('lower-cases host and repository', () => {
    expect(parse(registryWebhook('acr').push({ ...options, host: 'Contoso.AzureCR.io', repository: 'Shop/Frontend' })).pushes[0]).toMatchObject({
      host: HOST,
      repository: 'shop/frontend',
    });
  });

  it('ignores untagged pushes and keeps only the tagged index of a multi-arch push', () => {
    const results = registryWebhook('acr').multiArch(options).map(parse);
    expect(results.map((r) => r.pushes.length)).toEqual([0, 0, 1]);
    expect(results[0]!.ignored[0]!.reason).toMatch(/^untagged manifest push \(by digest or per-platform\): shop\/frontend@sha256:/);
    expect(results[2]!.pushes[0]).toMatchObject({ tag: 'v7', digest: DIGEST });
  });

  it('ignores the Ping button, deletes, chart pushes and other Event Grid events, saying which', () => {
    const webhookReasons = registryWebhook('acr').irrelevant(options).map((d) => parse(d).ignored[0]!.reason);
    expect(webhookReasons).toEqual(['ping: the webhook works; a ping deploys nothing', 'action delete of shop/frontend is not an image push', 'action chart_push of shop/frontend:v7.tgz is not an image push']);
    const gridReasons = registryWebhook('acr', { acrEventGrid: true }).irrelevant(options).slice(1).map((d) => parse(d).ignored[0]!.reason);
    expect(gridReasons).toEqual([
      'Event Grid event Microsoft.ContainerRegistry.ImageDeleted is not an image push',
      'Event Grid event Microsoft.ContainerRegistry.ChartPushed is not an image push',
    ]);
    const validation = [{ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'c0de' } }];
    expect(parse({ ...eventGrid(), body: JSON.stringify(validation) }).ignored[0]!.reason).toMatch(/^Event Grid subscription validation/);
  });

  it('fails a single event with a missing field, naming it', () => {
    expect(payloadError(() => parse(edited(webhook(), (b) => delete b.request.host))).path).toBe('request.host');
    expect(payloadError(() => parse(edited(webhook(), (b) => delete b.request))).path).toBe('request');
    expect(payloadError(() => parse(edited(webhook(), (b) => delete b.action))).path).toBe('action');
    expect(payloadError(() => parse(edited(eventGrid(), (b) => delete b[0].data.target.repository))).path).toBe('[0].data.target.repository');
    expect(payloadError(() => parse(edited(webhook(), (b) => (b.timestamp = 'soon')))).path).toBe('timestamp');
  });
});
