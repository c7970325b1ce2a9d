import { fleetConfig } from './fleet.config';

describe('fleetConfig', () => {
  it('applies the documented defaults', () => {
    expect(fleetConfig({})).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/hangar',
      host: '127.0.0.1',
      port: 4281,
      bootMs: 50,
      stateDir: '.hangar',
      production: false,
      faults: false,
      edge: { host: '127.0.0.1', port: 4290 },
      runtime: 'sim',
      insecureRegistries: [],
      registryCredentials: {},
      registryMirrors: {},
      fleetId: 'hangar',
    });
  });

  it('reads every variable', () => {
    const token = 'fleet_Vx3kQ9pL2mZr8TnB4wYc7HdJ6sGf1aE0';
    const config = fleetConfig({
      DATABASE_URL: 'postgres://x/db',
      HANGAR_HTTP_HOST: '10.0.0.1',
      HANGAR_FLEET_HOST: '0.0.0.0',
      HANGAR_FLEET_PORT: '9000',
      HANGAR_FLEET_BOOT_MS: '0',
      HANGAR_MACHINES_API_TOKEN: token,
      HANGAR_FLEET_FAULTS: '1',
      HANGAR_STATE_DIR: '/var/lib/hangar',
      HANGAR_EDGE_HOST: '0.0.0.0',
      HANGAR_EDGE_PORT: '8080',
      HANGAR_FLEET_RUNTIME: 'podman',
      HANGAR_PODMAN_CONF: '/etc/hangar/containers.conf',
      PATH: '/usr/bin:/bin',
      HOME: '/home/fleet',
      HANGAR_INSECURE_REGISTRIES: 'registry.internal:5000, mirror.internal',
      NODE_ENV: 'production',
    });
    expect(config).toEqual({
      databaseUrl: 'postgres://x/db',
      host: '0.0.0.0',
      port: 9000,
      bootMs: 0,
      token,
      faults: true,
      stateDir: '/var/lib/hangar',
      production: true,
      edge: { host: '0.0.0.0', port: 8080 },
      runtime: 'podman',
      podmanConf: '/etc/hangar/containers.conf',
      podmanEnv: { PATH: '/usr/bin:/bin', HOME: '/home/fleet' },
      insecureRegistries: ['registry.internal:5000', 'mirror.internal'],
      registryCredentials: {},
      registryMirrors: {},
      fleetId: 'db',
    });
  });

  it.each([
    ['HANGAR_FLEET_PORT', 'abc'],
    ['HANGAR_FLEET_PORT', '80.5'],
    ['HANGAR_FLEET_PORT', '70000'],
    ['HANGAR_FLEET_BOOT_MS', '-1'],
    ['HANGAR_EDGE_PORT', 'http'],
    ['HANGAR_EDGE_PORT', '-1'],
    ['HANGAR_EDGE_PORT', '65536'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => fleetConfig({ [name]: value })).toThrow(new RegExp(`^${name}: must be an integer`));
  });

  it('refuses a HANGAR_FLEET_RUNTIME other than sim or podman, naming it', () => {
    expect(() => fleetConfig({ HANGAR_FLEET_RUNTIME: 'docker' })).toThrow(/^HANGAR_FLEET_RUNTIME: must be sim or podman; got "docker"$/);
  });

  it('reads HANGAR_FLEET_VIEWER_TOKEN, refusing a short one or the full token again without echoing it', () => {
    expect(fleetConfig({ HANGAR_FLEET_VIEWER_TOKEN: 'viewer-0123456789' }).viewerToken).toBe('viewer-0123456789');
    expect(fleetConfig({ HANGAR_FLEET_VIEWER_TOKEN: '' }).viewerToken).toBeUndefined();
    expect(() => fleetConfig({ HANGAR_FLEET_VIEWER_TOKEN: 'short-viewer' })).toThrow(/^HANGAR_FLEET_VIEWER_TOKEN: must be at least 16 characters$/);
    const same = 'the-same-token-0123456789';
    expect(() => fleetConfig({ HANGAR_MACHINES_API_TOKEN: same, HANGAR_FLEET_VIEWER_TOKEN: same })).toThrow(/^HANGAR_FLEET_VIEWER_TOKEN: must differ from HANGAR_MACHINES_API_TOKEN/);
  });

  it('reads HANGAR_EDGE_PORT=0 as a free port and refuses a HANGAR_EDGE_HOST that is no host', () => {
    expect(fleetConfig({ HANGAR_EDGE_PORT: '0' }).edge).toEqual({ host: '127.0.0.1', port: 0 });
    expect(fleetConfig({ HANGAR_EDGE_HOST: '::1' }).edge?.host).toBe('::1');
    expect(() => fleetConfig({ HANGAR_EDGE_HOST: 'http://localhost' })).toThrow(/^HANGAR_EDGE_HOST: must be an IP address or a host name/);
  });

  it('rejects a HANGAR_FLEET_FAULTS that is not a flag', () => {
    expect(() => fleetConfig({ HANGAR_FLEET_FAULTS: 'yes please' })).toThrow(/^HANGAR_FLEET_FAULTS: must be 1 or 0/);
  });
});
