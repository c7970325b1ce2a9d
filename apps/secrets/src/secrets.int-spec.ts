import { randomBytes } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection, type Subscription } from 'nats';
import { Client } from 'pg';
import {
  HangarError,
  commandSubject,
  createSealingKeyPair,
  openSealed,
  seal,
  secretValuesContext,
  RECEIVER_SECRET_STORE_CONTEXT,
  receiverSecretContext,
  type SealedBox,
  secretsSetContext,
  type SecretsChangeResult,
  type SecretValuesReply,
  type TransportKeyReply,
} from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import { TEST_NATS_URL, TEST_NATS_ENV, TEST_NATS_ENDPOINT, createTestDatabase, testNamespace, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { startSecretsService } from './secrets.bootstrap';
import { secretsConfig } from './secrets.config';

/**
 * The secrets service against real Postgres and NATS: envelope-encrypted storage, sealed transport,
 * delivery, retention, rotation and tamper detection. A stand-in answers releaser's `get-app`.
 */
describe('secrets service (integration)', () => {
  const ns = testNamespace('s');
  const token = `test-admin-token-${ns}-0123456789`;
  const key1 = randomBytes(32).toString('base64');
  const key2 = randomBytes(32).toString('base64');
  let db: TestDatabase;
  let nc: NatsConnection;
  let pg: Client;
  let client: CommandClient;
  let service: INestMicroservice | undefined;
  let releaser: Subscription;

  async function start(env: Record<string, string>): Promise<void> {
    await service?.close();
    const config = secretsConfig({ DATABASE_URL: db.url, HANGAR_AUDIT_KEY: TEST_AUDIT_KEY.toString('base64'), ...TEST_NATS_ENV, HANGAR_NAMESPACE: ns, HANGAR_ADMIN_TOKEN: token, ...env });
    service = await startSecretsService(config);
    // Its subscriptions travel on its own connection: wait until they reach the server.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.request('secrets', 'transport-key', {}, { timeoutMs: 1000 });
        return;
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function set(app: string, values: Record<string, string>, extra: Record<string, unknown> = {}): Promise<SecretsChangeResult> {
    const key = await client.request<TransportKeyReply>('secrets', 'transport-key', {});
    return client.request('secrets', 'set', { app, sealedSet: seal(JSON.stringify(values), key.publicKey, secretsSetContext(app), key.kid), actor: 'tester', ...extra });
  }

  async function valuesOf(app: string, version: number): Promise<Record<string, string>> {
    const keys = createSealingKeyPair();
    const reply = await client.request<SecretValuesReply>('secrets', 'get-values', { app, version, recipientPublicKey: keys.publicKey });
    return JSON.parse(openSealed(reply.sealed, keys, secretValuesContext(app, version))) as Record<string, string>;
  }

  async function errorOf(promise: Promise<unknown>): Promise<HangarError> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(HangarError);
      return error as HangarError;
    }
    throw new Error('expected an error');
  }

  beforeAll(async () => {
    db = await createTestDatabase('hangar_secrets');
    nc = await connect({ servers: TEST_NATS_URL });
    client = new CommandClient(nc, ns);
    // Releaser's get-app: every app exists and has a release.
    releaser = nc.subscribe(commandSubject(ns, 'releaser', 'get-app'), {
      callback: (_err, msg) => {
        const { app } = JSON.parse(new TextDecoder().decode(msg.data)) as { app: string };
        msg.respond(JSON.stringify({ app: { name: app, platformVersion: 'v2', createdAt: '', currentRelease: { id: 'r1', version: 1 }, queuedReleases: [] } }));
      },
    });
    await start({ HANGAR_SECRETS_KEY: key1, HANGAR_SECRETS_RETAIN_VERSIONS: '3' });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 60000);

  afterAll(async () => {
    releaser?.unsubscribe();
    await service?.close();
    await pg?.end();
    await nc?.drain();
    await db?.drop();
  });

  it('stores sealed values encrypted, records names and digests only, and delivers them sealed', async () => {
    const value = `canary-${randomBytes(12).toString('hex')}`;
    const result = await set('alpha', { DATABASE_URL: value, API_KEY: 'k-1' });
    expect(result).toMatchObject({ app: 'alpha', version: 1, changed: true, staged: false, release: 'pending', set: ['DATABASE_URL', 'API_KEY'] });

    const rows = await pg.query(`SELECT name, version, ciphertext FROM secret_values WHERE app = 'alpha' ORDER BY name`);
    expect(rows.rows.map((r) => [r.name, r.version])).toEqual([
      ['API_KEY', 1],
      ['DATABASE_URL', 1],
    ]);
    expect(rows.rows.some((r) => (r.ciphertext as Buffer).includes(Buffer.from(value)))).toBe(false);
    const events = await pg.query(`SELECT type, data::text AS data, metadata::text AS metadata FROM events WHERE stream_id = 'secrets-alpha'`);
    expect(events.rows.map((e) => e.type)).toEqual(['SecretsUpdated']);
    expect(events.rows[0].data).toContain('"DATABASE_URL"');
    expect(JSON.stringify(events.rows)).not.toContain(value);

    expect(await valuesOf('alpha', 1)).toEqual({ DATABASE_URL: value, API_KEY: 'k-1' });
  });

  it('keeps every version immutable: an old version still delivers its own values', async () => {
    await set('beta', { A: 'one' });
    await set('beta', { A: 'two', B: 'bee' });
    await client.request('secrets', 'unset', { app: 'beta', names: ['B'] });
    expect(await valuesOf('beta', 1)).toEqual({ A: 'one' });
    expect(await valuesOf('beta', 2)).toEqual({ A: 'two', B: 'bee' });
    expect(await valuesOf('beta', 3)).toEqual({ A: 'two' });
    const listing = await client.request<{ version: number; secrets: { name: string; status: string }[] }>('secrets', 'list', { app: 'beta' });
    expect(listing.version).toBe(3);
    expect(listing.secrets.map((s) => s.name)).toEqual(['A']);
  });

  it('refuses bad names and reserved prefixes with clear errors that never echo the value', async () => {
    const value = `canary-${randomBytes(12).toString('hex')}`;
    const error = await errorOf(set('gamma', { 'bad-name': value, FLY_REGION: value }));
    expect(error.code).toBe('SECRETS.INVALID_NAME');
    expect(error.message).toContain('"bad-name" is invalid');
    expect(error.message).toContain('"FLY_REGION" is reserved');
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(value);
    const tooBig = await errorOf(set('gamma', { BIG: 'x'.repeat(64 * 1024 + 1) }));
    expect(tooBig.code).toBe('SECRETS.VALUE_TOO_LARGE');
    expect((await pg.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = 'secrets-gamma'`)).rows[0].n).toBe(0);
  });

  it('prunes versions beyond the retention setting, with their ciphertext', async () => {
    for (let i = 1; i <= 5; i++) await set('delta', { ROTATING: `v${i}` }, { stage: true });
    const pruned = await errorOf(valuesOf('delta', 1));
    expect(pruned.code).toBe('SECRETS.VERSION_PRUNED');
    expect(await valuesOf('delta', 5)).toEqual({ ROTATING: 'v5' });
    const kept = await pg.query(`SELECT version FROM secret_values WHERE app = 'delta' ORDER BY version`);
    expect(kept.rows.map((r) => r.version)).toEqual([3, 4, 5]);
  });

  it('fails clearly instead of returning garbage when a ciphertext row is tampered with', async () => {
    await set('epsilon', { ONE: 'first-value', TWO: 'second-value' });
    // Swap the two ciphertexts: each is valid, but bound to the other name.
    await pg.query(`
      UPDATE secret_values s SET ciphertext = o.ciphertext
      FROM secret_values o
      WHERE s.app = 'epsilon' AND o.app = 'epsilon' AND s.name <> o.name`);
    const swapped = await errorOf(valuesOf('epsilon', 1));
    expect(swapped.code).toBe('SECRETS.DECRYPT_FAILED');
    expect(swapped.message).toMatch(/^cannot decrypt secret (ONE|TWO) \(version 1\) of app epsilon: the ciphertext was tampered with or belongs elsewhere$/);

    await set('zeta', { ONLY: 'a-value' });
    await pg.query(`UPDATE secret_values SET ciphertext = set_byte(ciphertext, 20, get_byte(ciphertext, 20) # 1) WHERE app = 'zeta'`);
    expect((await errorOf(valuesOf('zeta', 1))).code).toBe('SECRETS.DECRYPT_FAILED');
  });

  const RECEIVER_A = '01JTQ3W5K8M2N4P6R8T0V2X4Y6';
  const RECEIVER_B = '01JTQ3W5K8M2N4P6R8T0V2X4Y7';

  async function storeReceiverSecret(receiverId: string, secret: string): Promise<unknown> {
    const key = await client.request<TransportKeyReply>('secrets', 'transport-key', {});
    return client.request('secrets', 'store-receiver-secret', { receiverId, sealedSecret: seal(secret, key.publicKey, RECEIVER_SECRET_STORE_CONTEXT, key.kid) });
  }

  async function receiverSecret(receiverId: string): Promise<string> {
    const keys = createSealingKeyPair();
    const reply = await client.request<{ sealed: SealedBox }>('secrets', 'receiver-secret', { receiverId, recipientPublicKey: keys.publicKey });
    return openSealed(reply.sealed, keys, receiverSecretContext(receiverId));
  }

  it('keeps registry receiver secrets encrypted, hands them out sealed, refuses bad ones and tampering', async () => {
    const secretA = `receiver-a-${randomBytes(12).toString('hex')}`;
    await storeReceiverSecret(RECEIVER_A, secretA);
    await storeReceiverSecret(RECEIVER_B, 'receiver-b-0123456789abcdef');
    const rows = await pg.query(`SELECT receiver_id, ciphertext FROM receiver_secrets ORDER BY receiver_id`);
    expect(rows.rows.map((r) => r.receiver_id)).toEqual([RECEIVER_A, RECEIVER_B]);
    expect(rows.rows.some((r) => (r.ciphertext as Buffer).includes(Buffer.from(secretA)))).toBe(false);
    expect(await receiverSecret(RECEIVER_A)).toBe(secretA);

    const short = await errorOf(storeReceiverSecret('01JTQ3W5K8M2N4P6R8T0V2X4Y8', 'short'));
    expect(short).toMatchObject({ code: 'REQUEST.INVALID', message: 'secret must be at least 16 characters' });
    expect((await errorOf(receiverSecret('01JTQ3W5K8M2N4P6R8T0V2X4Y8'))).code).toBe('SECRETS.RECEIVER_SECRET_NOT_FOUND');

    // Another receiver's row under this id: valid ciphertext, bound to the other receiver.
    await storeReceiverSecret('01JTQ3W5K8M2N4P6R8T0V2X4Y9', 'receiver-c-0123456789abcdef');
    await pg.query(`UPDATE receiver_secrets c SET wrapped_key = a.wrapped_key, ciphertext = a.ciphertext FROM receiver_secrets a WHERE c.receiver_id = '01JTQ3W5K8M2N4P6R8T0V2X4Y9' AND a.receiver_id = $1`, [RECEIVER_A]);
    expect((await errorOf(receiverSecret('01JTQ3W5K8M2N4P6R8T0V2X4Y9'))).code).toBe('SECRETS.DECRYPT_FAILED');
    await client.request('secrets', 'delete-receiver-secret', { receiverId: '01JTQ3W5K8M2N4P6R8T0V2X4Y9' });
    expect((await pg.query(`SELECT 1 FROM receiver_secrets WHERE receiver_id = '01JTQ3W5K8M2N4P6R8T0V2X4Y9'`)).rows).toEqual([]);
  });

  it('rotates the key: every data key re-wrapped, values unchanged, and the old key no longer needed', async () => {
    const before = await pg.query(`SELECT app, key_id FROM secret_data_keys ORDER BY app`);
    await start({ HANGAR_SECRETS_KEY: key2, HANGAR_SECRETS_KEY_PREVIOUS: key1 });
    expect(await valuesOf('alpha', 1)).toMatchObject({ API_KEY: 'k-1' });
    const rotation = await client.request<{ rotated: string[]; keyId: string; receivers?: number }>('secrets', 'rotate-key', { actor: 'tester' });
    expect(rotation.rotated.sort()).toEqual(before.rows.map((r) => r.app).sort());
    expect(rotation.receivers).toBe(2);
    expect((await pg.query(`SELECT DISTINCT key_id FROM receiver_secrets`)).rows.map((r) => r.key_id)).toEqual([rotation.keyId]);
    const after = await pg.query(`SELECT DISTINCT key_id FROM secret_data_keys`);
    expect(after.rows.map((r) => r.key_id)).toEqual([rotation.keyId]);
    expect(rotation.keyId).not.toBe(before.rows[0].key_id);
    const rotatedEvents = await pg.query(`SELECT count(*)::int AS n FROM events WHERE type = 'SecretsKeyRotated'`);
    expect(rotatedEvents.rows[0].n).toBe(before.rows.length);

    await start({ HANGAR_SECRETS_KEY: key2 });
    expect(await valuesOf('beta', 2)).toEqual({ A: 'two', B: 'bee' });
    expect(await receiverSecret(RECEIVER_B)).toBe('receiver-b-0123456789abcdef');
    expect((await client.request<{ rotated: string[] }>('secrets', 'rotate-key', {})).rotated).toEqual([]);

    await start({ HANGAR_SECRETS_KEY: key1 });
    const wrongKey = await errorOf(valuesOf('beta', 2));
    expect(wrongKey.code).toBe('SECRETS.KEY_UNAVAILABLE');
    expect(wrongKey.message).toContain('HANGAR_SECRETS_KEY_PREVIOUS');
  });
});
