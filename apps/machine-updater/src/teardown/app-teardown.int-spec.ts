import type { INestApplication } from '@nestjs/common';
import { EventTypes, streams, type AppDestroyedData } from '@hangar/contracts';
import { createEventStore, eventStoreMigrations, type EventStoreHandle } from '@hangar/event-store';
import { HttpMachinesApi } from '@hangar/machines-api';
import { createTestDatabase, uniqueSuffix, type TestDatabase, TEST_AUDIT_KEY } from '@hangar/testing';
import { startFleet } from '../../../fleet/src/fleet.bootstrap';
import { AppTeardown } from './app-teardown.service';

const FLEET_TOKEN = 'teardown-fleet-token';

/**
 * `apps destroy`'s teardown against real Postgres and a real fleet: it acts only for a destroyed app,
 * destroys machines before their volumes, and run twice at once (the command and the consumer, or two
 * replicas) destroys each thing once and records it once.
 */
describe(AppTeardown.name, () => {
  let db: TestDatabase;
  let handle: EventStoreHandle;
  let fleet: { app: INestApplication; url: string };
  let api: HttpMachinesApi;

  async function appWithMachines(): Promise<{ app: string; machines: string[]; volumes: string[] }> {
    const app = `td-${uniqueSuffix()}`;
    await api.createApp(app, 'personal');
    const [held, spare] = [await api.createVolume(app, { name: 'data', region: 'local' }), await api.createVolume(app, { name: 'data', region: 'local' })];
    const withVolume = await api.create(app, { region: 'local', config: { image: 'img', mounts: [{ volume: held.id, path: '/data' }], metadata: { fly_platform_version: 'v2', fly_process_group: 'app' } } });
    const unmanaged = await api.create(app, { region: 'local', config: { image: 'other', metadata: {} } });
    await api.wait(app, withVolume.id, { state: 'started', timeoutSec: 10 });
    return { app, machines: [withVolume.id, unmanaged.id].sort(), volumes: [held.id, spare.id].sort() };
  }

  async function destroyed(app: string): Promise<void> {
    const data: AppDestroyedData = { app, destroyedAt: new Date().toISOString(), machines: [], volumes: [] };
    await handle.store.append(streams.app(app), [{ type: 'AppCreated', data: { app } }, { type: EventTypes.AppDestroyed, data: { ...data }, metadata: { actor: 'ci' } }], { expectedVersion: 'NO_STREAM' });
  }

  async function recorded(type: string, streamIds: string[]): Promise<{ streamId: string; actor?: string }[]> {
    const all = await Promise.all(streamIds.map(async (id) => (await handle.store.readStream(id)).filter((e) => e.type === type).map((e) => ({ streamId: id, actor: e.metadata.actor }))));
    return all.flat();
  }

  beforeAll(async () => {
    db = await createTestDatabase('hangar_teardown');
    handle = await createEventStore({ auditKey: TEST_AUDIT_KEY, databaseUrl: db.url, migrations: eventStoreMigrations });
    fleet = await startFleet({ databaseUrl: db.url, host: '127.0.0.1', port: 0, bootMs: 50, token: FLEET_TOKEN });
    api = new HttpMachinesApi({ baseUrl: fleet.url, token: FLEET_TOKEN });
  });

  afterAll(async () => {
    await fleet?.app.close();
    await handle?.close();
    await db?.drop();
  });

  it('touches nothing of an app that is not destroyed', async () => {
    const { app, machines } = await appWithMachines();
    await handle.store.append(streams.app(app), [{ type: 'AppCreated', data: { app } }], { expectedVersion: 'NO_STREAM' });
    await expect(new AppTeardown(api, handle.store).run(app)).rejects.toMatchObject({ code: 'MACHINE.APP_NOT_DESTROYED' });
    expect((await api.list(app)).map((m) => m.id).sort()).toEqual(machines);
  });

  it('destroys every machine, then every volume, once, even run twice at once by two processes', async () => {
    const { app, machines, volumes } = await appWithMachines();
    await destroyed(app);

    const [first, second] = await Promise.all([new AppTeardown(api, handle.store).run(app), new AppTeardown(api, handle.store).run(app)]);

    expect([...first.machines, ...second.machines].sort()).toEqual(expect.arrayContaining(machines));
    expect(await api.list(app)).toEqual([]);
    expect(await api.listVolumes(app)).toEqual([]);
    const machineEvents = await recorded(EventTypes.MachineDestroyed, machines.map(streams.machine));
    expect(machineEvents.map((e) => e.streamId).sort()).toEqual(machines.map(streams.machine).sort());
    expect(machineEvents.every((e) => e.actor === 'ci')).toBe(true);
    expect((await recorded(EventTypes.VolumeDestroyed, volumes.map(streams.volume))).map((e) => e.streamId).sort()).toEqual(volumes.map(streams.volume).sort());

    expect(await new AppTeardown(api, handle.store).run(app)).toEqual({ app, machines: [], volumes: [] });
    expect(await recorded(EventTypes.MachineDestroyed, machines.map(streams.machine))).toHaveLength(2);
  });
});
