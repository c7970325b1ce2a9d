import { HangarError, type RegistrySource } from '@hangar/contracts';
import { ReceiverCache } from './receiver-cache';
import { ReceiverDirectory, type ReceiverCredentials } from './receiver-credentials';

const KNOWN = '01JTQ3W5K8M2N4P6R8T0V2X4Y6';

/** builder and secrets behind the cache: one receiver, every lookup counted; `down` fails them all. */
class CountingDirectory extends ReceiverDirectory {
  lookups: string[] = [];
  down = false;
  receivers = new Map<string, RegistrySource>([[KNOWN, 'distribution']]);

  async credentials(receiverId: string): Promise<ReceiverCredentials> {
    this.lookups.push(receiverId);
    await Promise.resolve();
    if (this.down) throw new HangarError('TRANSPORT.TIMEOUT', 'no answer from builder');
    const source = this.receivers.get(receiverId);
    if (!source) throw new HangarError('REGISTRY.RECEIVER_NOT_FOUND', `no receiver ${receiverId}`);
    return { id: receiverId, source, secret: 's3cret-value' };
  }
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as HangarError).code;
  }
}

describe(ReceiverCache.name, () => {
  let now: number;
  let inner: CountingDirectory;
  let sut: ReceiverCache;
  beforeEach(() => {
    now = 0;
    inner = new CountingDirectory();
    sut = new ReceiverCache(inner, { ttlMs: 30_000, maxEntries: 3, now: () => now });
  });

  it('looks a receiver up once per 30 s, concurrent deliveries sharing the lookup', async () => {
    const answers = await Promise.all([sut.credentials(KNOWN), sut.credentials(KNOWN), sut.credentials(KNOWN)]);
    now = 29_999;
    answers.push(await sut.credentials(KNOWN));
    expect(answers.map((a) => a.secret)).toEqual(['s3cret-value', 's3cret-value', 's3cret-value', 's3cret-value']);
    expect(inner.lookups).toEqual([KNOWN]);
    now = 30_000;
    await sut.credentials(KNOWN);
    expect(inner.lookups).toEqual([KNOWN, KNOWN]);
  });

  it('remembers an unknown id too, but not a failed lookup', async () => {
    const unknown = '01JTQ3W5K8M2N4P6R8T0V2X4Y7';
    expect([await code(sut.credentials(unknown)), await code(sut.credentials(unknown))]).toEqual(['REGISTRY.RECEIVER_NOT_FOUND', 'REGISTRY.RECEIVER_NOT_FOUND']);
    expect(inner.lookups).toEqual([unknown]);
    inner.down = true;
    expect(await code(sut.credentials(KNOWN))).toBe('TRANSPORT.TIMEOUT');
    inner.down = false;
    expect(await code(sut.credentials(KNOWN))).toBe('ok');
    expect(inner.lookups).toEqual([unknown, KNOWN, KNOWN]);
  });

  it('forgets a receiver when told (removed or added through this gateway)', async () => {
    await sut.credentials(KNOWN);
    inner.receivers.delete(KNOWN);
    sut.forget(KNOWN);
    expect(await code(sut.credentials(KNOWN))).toBe('REGISTRY.RECEIVER_NOT_FOUND');
  });

  it('keeps at most maxEntries receivers, dropping the oldest', async () => {
    const ids = ['01JTQ3W5K8M2N4P6R8T0V2X4Y1', '01JTQ3W5K8M2N4P6R8T0V2X4Y2', '01JTQ3W5K8M2N4P6R8T0V2X4Y3', '01JTQ3W5K8M2N4P6R8T0V2X4Y4'];
    for (const id of ids) await code(sut.credentials(id));
    await code(sut.credentials(ids[3]!));
    await code(sut.credentials(ids[0]!));
    expect(inner.lookups).toEqual([...ids, ids[0]]);
  });
});
