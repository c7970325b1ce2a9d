import { hmacSha256Hex } from './constant-time';
import { bearerAuth, headerSecretAuth, hubSignatureAuth, jfrogEventAuth, queryTokenAuth } from './webhook-auth';
import type { AuthCheck, WebhookDelivery } from './webhook-delivery';

const SECRET = 'rcv-secret-5f0e1d';
const BODY = '{"events":[]}';

function delivery(headers: Record<string, string> = {}, query: Record<string, string> = {}, body = BODY): WebhookDelivery {
  return { headers, query, body: Buffer.from(body), receivedAt: new Date('2025-01-01T00:00:00Z') };
}

/** A failure's reason never repeats what was sent or the secret. */
function expectRejected(check: AuthCheck, reason: RegExp, ...sent: string[]): void {
  expect(check.ok).toBe(false);
  if (check.ok) return;
  expect(check.reason).toMatch(reason);
  for (const value of [SECRET, ...sent]) expect(check.reason).not.toContain(value);
}

describe('webhook authentication', () => {
  describe('GitHub X-Hub-Signature-256', () => {
    it('verifies the documented test vector', () => {
      const vector = delivery({ 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }, {}, 'Hello, World!');
      expect(hubSignatureAuth("It's a Secret to Everybody", vector)).toEqual({ ok: true });
    });

    it('accepts upper-case hex', () => {
      const vector = delivery({ 'x-hub-signature-256': 'sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17' }, {}, 'Hello, World!');
      expect(hubSignatureAuth("It's a Secret to Everybody", vector).ok).toBe(true);
    });

    it('rejects a signature of another body, secret or format, and a missing one', () => {
      const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
      expectRejected(hubSignatureAuth("It's a Secret to Everybody", delivery({ 'x-hub-signature-256': signature }, {}, 'Hello, World?')), /does not match the body/, signature);
      expectRejected(hubSignatureAuth('another secret', delivery({ 'x-hub-signature-256': signature }, {}, 'Hello, World!')), /does not match the body/, signature);
      expectRejected(hubSignatureAuth(SECRET, delivery({ 'x-hub-signature-256': 'sha1=abc' })), /is not "sha256=<64 hex digits>"/, 'abc');
      expectRejected(hubSignatureAuth(SECRET, delivery({ 'x-hub-signature': 'sha1=abc' })), /X-Hub-Signature-256 header is missing/);
    });
  });

  describe('JFrog X-JFrog-Event-Auth', () => {
    const hmac = (secret: string, body: string) => hmacSha256Hex(secret, new TextEncoder().encode(body));

    it('accepts the HMAC of the body (use secret for signing on)', () => {
      expect(jfrogEventAuth(SECRET, delivery({ 'x-jfrog-event-auth': hmac(SECRET, BODY) })).ok).toBe(true);
    });

    it('accepts the secret itself (use secret for signing off)', () => {
      expect(jfrogEventAuth(SECRET, delivery({ 'x-jfrog-event-auth': SECRET })).ok).toBe(true);
    });

    it('rejects an HMAC of another body, another secret, and a missing header', () => {
      expectRejected(jfrogEventAuth(SECRET, delivery({ 'x-jfrog-event-auth': hmac(SECRET, '{}') })), /matches neither/);
      expectRejected(jfrogEventAuth(SECRET, delivery({ 'x-jfrog-event-auth': 'guess' })), /matches neither/, 'guess');
      expectRejected(jfrogEventAuth(SECRET, delivery()), /X-JFrog-Event-Auth header is missing/);
    });
  });

  describe('Authorization: Bearer', () => {
    it('accepts the secret as a bearer token, whatever the case of the scheme', () => {
      expect(bearerAuth(SECRET, delivery({ authorization: `Bearer ${SECRET}` })).ok).toBe(true);
      expect(bearerAuth(SECRET, delivery({ authorization: `bearer ${SECRET}` })).ok).toBe(true);
    });

    it('rejects a wrong token, another scheme, the bare secret and a missing header', () => {
      expectRejected(bearerAuth(SECRET, delivery({ authorization: 'Bearer wrong-token' })), /does not match the receiver secret/, 'wrong-token');
      expectRejected(bearerAuth(SECRET, delivery({ authorization: `Bearer ${SECRET}x` })), /does not match/);
      expectRejected(bearerAuth(SECRET, delivery({ authorization: 'Basic dXNlcjpwYXNz' })), /is not "Bearer <secret>"/, 'dXNlcjpwYXNz');
      expectRejected(bearerAuth(SECRET, delivery({ authorization: SECRET.slice(0, 4) })), /is not "Bearer <secret>"/);
      expectRejected(bearerAuth(SECRET, delivery()), /Authorization header is missing/);
    });
  });

  describe('x-api-key', () => {
    it('accepts the secret and rejects anything else', () => {
      expect(headerSecretAuth('x-api-key', SECRET, delivery({ 'x-api-key': SECRET })).ok).toBe(true);
      expectRejected(headerSecretAuth('x-api-key', SECRET, delivery({ 'x-api-key': 'nope' })), /x-api-key header does not match/, 'nope');
      expectRejected(headerSecretAuth('x-api-key', SECRET, delivery()), /x-api-key header is missing/);
    });
  });

  describe('?token=', () => {
    it('accepts the secret and rejects anything else', () => {
      expect(queryTokenAuth(SECRET, delivery({}, { token: SECRET })).ok).toBe(true);
      expectRejected(queryTokenAuth(SECRET, delivery({}, { token: 'nope' })), /token query parameter does not match/, 'nope');
      expectRejected(queryTokenAuth(SECRET, delivery({ authorization: `Bearer ${SECRET}` })), /token query parameter is missing/);
    });
  });

  it('never accepts anything for a receiver without a secret', () => {
    expectRejected(queryTokenAuth('', delivery({}, { token: '' })), /no secret/);
    expectRejected(bearerAuth('', delivery({ authorization: 'Bearer ' })), /no secret/);
    expectRejected(headerSecretAuth('x-api-key', '', delivery({ 'x-api-key': '' })), /no secret/);
    expectRejected(hubSignatureAuth('', delivery()), /no secret/);
    expectRejected(jfrogEventAuth('', delivery({ 'x-jfrog-event-auth': '' })), /no secret/);
  });
});
