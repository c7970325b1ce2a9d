import { ErrorCodes, HangarError, type MachineUpdateRequestedData } from '@hangar/contracts';
import { SecretsDelivery, redactResult, type SecretValuesSource } from './secrets-delivery';

function request(overrides: Partial<MachineUpdateRequestedData> = {}): MachineUpdateRequestedData {
  return {
    app: 'demo',
    key: 'r1:update:m1',
    kind: 'update',
    machineId: 'm1',
    releaseId: 'r1',
    releaseVersion: 4,
    processGroup: 'app',
    region: 'local',
    config: { image: 'img', env: { LOG_LEVEL: 'info', DATABASE_URL: 'from-fly-toml' }, metadata: {} },
    skipLaunch: false,
    waitForHealth: true,
    waitTimeoutMs: 1000,
    secretsVersion: 2,
    ...overrides,
  };
}

function source(values: Record<string, string> | Error): SecretValuesSource & { calls: number } {
  const s = {
    calls: 0,
    async valuesOf() {
      s.calls += 1;
      if (values instanceof Error) throw values;
      return values;
    },
  };
  return s;
}

describe(SecretsDelivery.name, () => {
  it('merges the values into the env sent to the machines API; a secret overrides an [env] entry', async () => {
    const sut = new SecretsDelivery(source({ DATABASE_URL: 'postgres://secret', API_KEY: 'k-123' }));
    const req = request();
    const delivery = await sut.prepare(req);
    expect(delivery.kind).toBe('ready');
    if (delivery.kind !== 'ready') return;
    expect(delivery.request.config!.env).toEqual({ LOG_LEVEL: 'info', DATABASE_URL: 'postgres://secret', API_KEY: 'k-123' });
    expect(req.config!.env).toEqual({ LOG_LEVEL: 'info', DATABASE_URL: 'from-fly-toml' });
  });

  it('asks for nothing when the request carries no secrets version or no config', async () => {
    const values = source({ A: 'b' });
    const sut = new SecretsDelivery(values);
    const noSecrets = request({ secretsVersion: undefined });
    expect(await sut.prepare(noSecrets)).toMatchObject({ kind: 'ready', request: noSecrets });
    expect(await sut.prepare(request({ kind: 'destroy', config: undefined }))).toMatchObject({ kind: 'ready' });
    expect(values.calls).toBe(0);
  });

  it('leaves the operation untouched and retryable while the secrets service is unreachable', async () => {
    const sut = new SecretsDelivery(source(new HangarError(ErrorCodes.UNAVAILABLE, 'no service is answering hangar.cmd.secrets.get-values')));
    expect(await sut.prepare(request())).toEqual({
      kind: 'unavailable',
      result: { ok: false, machineId: 'm1', reason: 'cannot get secrets version 2 of app demo: no service is answering hangar.cmd.secrets.get-values', retryable: true },
    });
  });

  it('fails the operation for good on a definitive answer (a pruned version, a tampered row)', async () => {
    const sut = new SecretsDelivery(source(new HangarError('SECRETS.DECRYPT_FAILED', 'cannot decrypt secret A (version 2) of app demo')));
    const delivery = await sut.prepare(request());
    expect(delivery).toMatchObject({ kind: 'unavailable', result: { ok: false } });
    expect(delivery.kind === 'unavailable' && delivery.result.ok === false && delivery.result.retryable).toBeFalsy();
  });

  it('scrubs the values from whatever the operation reports back', async () => {
    const sut = new SecretsDelivery(source({ API_KEY: 'k-123456' }));
    const delivery = await sut.prepare(request());
    if (delivery.kind !== 'ready') throw new Error('expected ready');
    const reported = delivery.redact({ ok: false, reason: 'boot failed: bad key k-123456', logs: ['using k-123456', 'bye'] });
    expect(reported).toEqual({ ok: false, reason: 'boot failed: bad key [REDACTED]', logs: ['using [REDACTED]', 'bye'] });
  });

  it('does not scrub values too short to mean anything', () => {
    expect(redactResult({ ok: false, reason: 'exit 1' }, ['1'])).toEqual({ ok: false, reason: 'exit 1' });
  });
});
