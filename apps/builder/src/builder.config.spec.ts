import { EnvConfigError } from '@hangar/contracts';
import { builderConfig } from './builder.config';

describe(builderConfig.name, () => {
  it('reads registry mirrors and the reconcile interval', () => {
    const config = builderConfig({ HANGAR_REGISTRY_MIRRORS: '{"docker.io":"mirror.internal:5000"}', HANGAR_RECONCILE_INTERVAL_MS: '500' });
    expect(config.mirrors).toEqual({ 'docker.io': 'mirror.internal:5000' });
    expect(config.reconcileIntervalMs).toBe(500);
    expect(builderConfig({}).mirrors).toEqual({});
    expect(builderConfig({}).reconcileIntervalMs).toBe(10_000);
  });

  it('reads HANGAR_REGISTRY_ALLOW_PRIVATE, and allows loopback registries unless NODE_ENV=production', () => {
    const config = builderConfig({ HANGAR_REGISTRY_ALLOW_PRIVATE: ' Registry.Internal:5000, 10.0.0.5 ,[fd00::1]:443' });
    expect(config.allowPrivate).toEqual(['registry.internal:5000', '10.0.0.5', '[fd00::1]:443']);
    expect(config.allowLoopback).toBe(true);
    expect(builderConfig({}).allowPrivate).toEqual([]);
    expect(builderConfig({ NODE_ENV: 'production' }).allowLoopback).toBe(false);
  });

  it.each([
    [{ HANGAR_REGISTRY_ALLOW_PRIVATE: 'http://10.0.0.5' }, 'HANGAR_REGISTRY_ALLOW_PRIVATE'],
    [{ HANGAR_REGISTRY_MIRRORS: 'docker.io=mirror' }, 'HANGAR_REGISTRY_MIRRORS'],
    [{ HANGAR_REGISTRY_MIRRORS: '{"docker.io":"https://mirror"}' }, 'HANGAR_REGISTRY_MIRRORS'],
    [{ HANGAR_RECONCILE_INTERVAL_MS: '5' }, 'HANGAR_RECONCILE_INTERVAL_MS'],
  ])('refuses %j naming the variable', (env, name) => {
    expect(() => builderConfig(env)).toThrow(EnvConfigError);
    expect(() => builderConfig(env)).toThrow(name);
  });
});
