import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { EventTypes, streams, type MachineUpdateRequestedData } from '@hangar/contracts';
import { createEventStore, eventStoreMigrations, type EventStoreHandle } from '@hangar/event-store';
import { HttpMachinesApi } from '@hangar/machines-api';
import { createTestDatabase, uniqueSuffix, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { startFleet } from '../../../fleet/src/fleet.bootstrap';
import { MachineOperationExecutor } from './machine-operation.executor';
import { OperationClaims } from './operation-claims';
import { OperationRunner, type Persist, type RequestedOperation } from './operation.runner';
import { SecretsDelivery } from './secrets-delivery';

const RELEASE = '01HZRELEASE0000000000000001';

/**
 * Exactly-once effects of machine operations, against real Postgres (claims, streams) and a real
 * fleet (counting updates from its own timeline): two "processes" (each its own claims session and
 * runner) receive the same request at once, and one dies mid-operation.
 */
const FLEET_TOKEN = 'runner-fleet-token';

describe(OperationRunner.name, () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  let fleet: { app: INestApplication; url: string };
  let api: HttpMachinesApi;
  const claims: OperationClaims[] = [];
  const persist: Persist = (write) => write();
  const app = `runner-${uniqueSuffix()}`;

  const process = () => {
    const c = new OperationClaims({ connectionString: db.url });
    claims.push(c);
    // These requests carry no secrets version: nothing is ever fetched.
    const noSecrets = new SecretsDelivery({ valuesOf: () => Promise.reject(new Error('no secrets in these tests')) });
    return { claims: c, sut: new OperationRunner(new MachineOperationExecutor(api), c, handle.store, noSecrets) };
  };

  async function machine(): Promise<string> {
    const m = await api.create(app, { region: 'local', config: { image: 'old', metadata: { fly_platform_version: 'v2', fly_release_id: 'older' } } });
    await api.wait(app, m.id, { state: 'started', timeoutSec: 10 });
    return m.id;
  }

  async function requested(machineId: string): Promise<RequestedOperation> {
    const request: MachineUpdateRequestedData = {
      app,
      key: `${RELEASE}:update:${machineId}`,
      kind: 'update',
      machineId,
      releaseId: RELEASE,
      releaseVersion: 2,
      processGroup: 'app',
      region: 'local',
      config: { image: 'new', metadata: { fly_platform_version: 'v2', fly_release_id: RELEASE } },
      skipLaunch: false,
      waitForHealth: true,
      waitTimeoutMs: 10_000,
    };
    await handle.store.append(`release-${machineId}`, [{ type: EventTypes.MachineUpdateRequested, data: { ...request } }], { expectedVersion: 'ANY' });
    const [event] = await handle.store.readStream(`release-${machineId}`);
    return { request, requestEventId: event!.eventId, requestedAt: event!.recordedAt };
  }

  async function updatesOf(machineId: string): Promise<number> {
    const res = await fetch(`${fleet.url}/fleet/v1/apps/${app}/timeline?machine_id=${machineId}`, { headers: { authorization: `Bearer ${FLEET_TOKEN}` } });
    const { events } = (await res.json()) as { events: { type: string }[] };
    return events.filter((e) => e.type === 'update').length;
  }

  async function outcomesOf(machineId: string): Promise<number> {
    return (await handle.store.readStream(streams.machine(machineId))).filter((e) => e.type === EventTypes.MachineUpdated).length;
  }

  beforeAll(async () => {
    db = await createTestDatabase('hangar_runner');
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations });
    fleet = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 50, token: FLEET_TOKEN });
    api = new HttpMachinesApi({ baseUrl: fleet.url, token: FLEET_TOKEN });
    await api.createApp(app, 'personal');
  });

  afterAll(async () => {
    await Promise.all(claims.map((c) => c.close()));
    await fleet?.app.close();
    await handle?.close();
    await db?.drop();
  });

  it('carries out a request delivered twice at once, and asked about by the reconciler, exactly once', async () => {
    const id = await machine();
    const op = await requested(id);
    const [a, b] = [process(), process()];
    const results = await Promise.all([a.sut.run(op, persist), b.sut.run(op, persist), b.sut.reconcile(op), a.sut.run(op, persist)]);
    // Whoever got the claim ran it; a caller that came after it finished finds the recorded outcome.
    expect(results.some((r) => 'kind' in r && r.kind === 'done')).toBe(true);
    await waitFor(async () => (await outcomesOf(id)) === 1);
    expect(await updatesOf(id)).toBe(1);

    const redelivered = await b.sut.run(op, persist);
    expect(redelivered).toMatchObject({ kind: 'done', outcome: { type: EventTypes.MachineUpdated } });
    expect(await b.sut.reconcile(op)).toMatchObject({ status: 'done' });
    expect(await updatesOf(id)).toBe(1);
    expect(await outcomesOf(id)).toBe(1);
  });

  it('never carries out again an operation that made a machine once its outcome is recorded (a bluegreen green stays uncordoned)', async () => {
    const key = `${RELEASE}:green:${uniqueSuffix()}`;
    const request: MachineUpdateRequestedData = {
      app,
      key,
      kind: 'create',
      releaseId: RELEASE,
      releaseVersion: 2,
      processGroup: 'app',
      region: 'local',
      config: { image: 'new', metadata: { fly_platform_version: 'v2', fly_release_id: RELEASE } },
      skipLaunch: false,
      waitForHealth: true,
      waitTimeoutMs: 10_000,
      cordoned: true,
    };
    const op: RequestedOperation = { request, requestEventId: '00000000-0000-4000-8000-000000000001', requestedAt: new Date() };
    const { sut } = process();
    const first = await sut.run(op, persist);
    expect(first).toMatchObject({ kind: 'done', outcome: { type: EventTypes.MachineUpdated } });
    const green = (first as { outcome: { data: { machineId: string } } }).outcome.data.machineId;
    await api.uncordon(app, green);

    // Its message lost on the way to the releaser, the releaser asks again.
    expect(await sut.reconcile(op)).toMatchObject({ status: 'done', outcome: { eventId: (first as { outcome: { eventId: string } }).outcome.eventId } });
    expect((await api.get(app, green)).cordoned).toBe(false);
    expect((await api.list(app)).filter((m) => m.config.metadata?.hangar_idempotency_key === key)).toHaveLength(1);
  });

  it('hands an operation over the moment its owner dies: the claim ends with the session', async () => {
    const [a, b] = [process(), process()];
    const key = `${RELEASE}:update:handover-${uniqueSuffix()}`;
    expect(await a.claims.tryClaim(key)).toBe(true);
    expect(await b.claims.tryClaim(key)).toBe(false);
    expect(await a.claims.tryClaim(key)).toBe(false);

    await terminateSessionsOf(db.url, key);

    expect(await b.claims.tryClaim(key)).toBe(true);
    await expect(a.claims.assertHeld(key)).rejects.toMatchObject({ code: 'OPERATION.CLAIM_LOST' });
  });

  it('resumes an operation interrupted after recording its lease under that lease, without waiting for it to expire', async () => {
    const id = await machine();
    const op = await requested(id);
    // Long enough that waiting for it to expire would be unmistakable, however slow this machine is.
    const lease = await api.acquireLease(app, id, 150);
    await handle.store.append(
      streams.machine(id),
      [{ type: EventTypes.MachineUpdateStarted, data: { app, key: op.request.key, kind: 'update', releaseId: RELEASE, leaseNonce: lease.nonce } }],
      { expectedVersion: 'ANY' },
    );
    const started = Date.now();
    const result = await process().sut.run(op, persist);
    expect(result).toMatchObject({ kind: 'done', outcome: { type: EventTypes.MachineUpdated } });
    expect(Date.now() - started).toBeLessThan(75_000);
    expect(await updatesOf(id)).toBe(1);
    expect(await api.getLease(app, id)).toBeNull();
  });
});

/** Kills the Postgres session holding the claim, as the death of its process would end it. */
async function terminateSessionsOf(url: string, key: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
         AND classid = (hashtext('hangar:machine-operation')::bigint & 4294967295)::oid AND objid = (hashtext($1)::bigint & 4294967295)::oid`,
      [key],
    );
  } finally {
    await c.end();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
