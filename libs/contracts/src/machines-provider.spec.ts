import { EnvConfigError } from './service-env';
import { readMachinesProvider } from './machines-provider';
import { readServiceEnv } from './service-env';

describe(readMachinesProvider.name, () => {
  it('defaults to the local fleet on HANGAR_FLEET_PORT, in the personal org', () => {
    expect(readMachinesProvider({}, 4281)).toEqual({
      kind: 'fleet',
      machinesApiUrl: 'http://127.0.0.1:4281',
      flyApiUrl: 'https://api.fly.io/graphql',
      defaultOrg: 'personal',
    });
  });

  it('points fly at api.machines.dev and leaves the org to HANGAR_FLY_ORG or the command', () => {
    expect(readMachinesProvider({ HANGAR_MACHINES_PROVIDER: 'fly' }, 4281)).toEqual({
      kind: 'fly',
      machinesApiUrl: 'https://api.machines.dev',
      flyApiUrl: 'https://api.fly.io/graphql',
    });
    expect(readMachinesProvider({ HANGAR_MACHINES_PROVIDER: ' fly ', HANGAR_FLY_ORG: 'acme-corp' }, 4281).defaultOrg).toBe('acme-corp');
  });

  it('keeps an explicit HANGAR_MACHINES_API_URL for either provider (fly pointed at fleet in tests)', () => {
    const sut = readMachinesProvider({ HANGAR_MACHINES_PROVIDER: 'fly', HANGAR_MACHINES_API_URL: 'http://127.0.0.1:9999/', HANGAR_FLY_API_URL: 'http://127.0.0.1:9998/graphql' }, 4281);
    expect(sut).toMatchObject({ kind: 'fly', machinesApiUrl: 'http://127.0.0.1:9999', flyApiUrl: 'http://127.0.0.1:9998/graphql' });
  });

  it.each([
    [{ HANGAR_MACHINES_PROVIDER: 'flyio' }, 'HANGAR_MACHINES_PROVIDER', /must be fleet .* or fly .*; got "flyio"/],
    [{ HANGAR_MACHINES_PROVIDER: 'FLY' }, 'HANGAR_MACHINES_PROVIDER', /got "FLY"/],
    [{ HANGAR_MACHINES_PROVIDER: 'fly', HANGAR_MACHINES_API_URL: 'api.machines.dev' }, 'HANGAR_MACHINES_API_URL', /must be a URL/],
    [{ HANGAR_MACHINES_API_URL: 'ftp://x' }, 'HANGAR_MACHINES_API_URL', /must use http or https/],
    [{ HANGAR_MACHINES_API_URL: 'https://user:tok@api.machines.dev' }, 'HANGAR_MACHINES_API_URL', /must not carry credentials/],
    [{ HANGAR_FLY_API_URL: 'nope' }, 'HANGAR_FLY_API_URL', /must be a URL/],
    [{ HANGAR_FLY_ORG: 'Acme Corp' }, 'HANGAR_FLY_ORG', /organization slug/],
  ])('refuses %j naming the variable', (env, variable, message) => {
    let error: unknown;
    try {
      readMachinesProvider(env, 4281);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvConfigError);
    expect((error as EnvConfigError).variable).toBe(variable);
    expect((error as EnvConfigError).message).toMatch(new RegExp(`^${variable}: `));
    expect((error as EnvConfigError).message).toMatch(message);
  });

  it('is what readServiceEnv hands every service, its URL the machines API URL', () => {
    const sut = readServiceEnv({ HANGAR_MACHINES_PROVIDER: 'fly', HANGAR_FLY_ORG: 'acme' });
    expect(sut.machinesProvider).toMatchObject({ kind: 'fly', defaultOrg: 'acme' });
    expect(sut.machinesApiUrl).toBe('https://api.machines.dev');
    expect(readServiceEnv({ HANGAR_FLEET_PORT: '5000' }).machinesApiUrl).toBe('http://127.0.0.1:5000');
  });
});
