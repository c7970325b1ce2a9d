import { ErrorCodes, type HangarError } from '@hangar/contracts';
import { toCreateReleaseInput } from './deploy-request';
import type { CreateReleaseDto } from './dto/create-release.dto';

describe(toCreateReleaseInput.name, () => {
  const dto = (over: Partial<CreateReleaseDto>): CreateReleaseDto => ({ app: 'demo', image: 'registry.example/demo:v1', ...over }) as CreateReleaseDto;
  const errorOf = (fn: () => unknown): HangarError => {
    try {
      fn();
    } catch (error) {
      return error as HangarError;
    }
    throw new Error('expected an error');
  };

  it('takes a normalised config JSON that config validate --json printed', () => {
    const input = toCreateReleaseInput(dto({ config: { app: 'demo', env: { A: 'b' }, processes: { app: '' }, mounts: [], services: [], checks: {}, vm: [], warnings: [] } }));
    expect(input.config).toMatchObject({ app: 'demo', env: { A: 'b' }, processes: { app: '' } });
  });

  it('refuses a config JSON that would wedge the release (review M4), with CONFIG.INVALID naming each field', () => {
    const error = errorOf(() => toCreateReleaseInput(dto({ config: { processes: { app: '' }, env: { X: { nested: 1 } }, checks: 'nope', vm: 'big', mounts: 'none' } })));
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message).toContain('config: [env].X must be a string, number or boolean');
    expect(error.message).toContain('mounts');
    expect(error.message).toContain('checks');
  });

  describe('deploy flags (issue 15)', () => {
    const toml = 'app = "demo"\n[env]\nLOG_LEVEL = "info"\nREGION = "ams"\n';

    it('merges --env over [env] in the release config and records the overrides by name', () => {
      const input = toCreateReleaseInput(dto({ configToml: toml, env: { LOG_LEVEL: 'debug', PORT: 8080, EMPTY: '' } }));
      expect(input.config.env).toEqual({ LOG_LEVEL: 'debug', REGION: 'ams', PORT: '8080', EMPTY: '' });
      expect(input.envOverrides).toEqual({ LOG_LEVEL: 'debug', PORT: '8080', EMPTY: '' });
      expect(toCreateReleaseInput(dto({ configToml: toml }))).not.toHaveProperty('envOverrides');
    });

    it('refuses --env names flyctl and [env] refuse, and values that are no strings, naming each', () => {
      const error = errorOf(() => toCreateReleaseInput(dto({ configToml: toml, env: { FLY_REGION: 'x', OK: 'y', NESTED: { a: 1 } } })));
      expect(error.code).toBe(ErrorCodes.VALIDATION);
      expect(error.message).toContain('env.FLY_REGION (--env): must not start with FLY_');
      expect(error.message).toContain('env.NESTED (--env): must be a string');
      expect(errorOf(() => toCreateReleaseInput(dto({ configToml: toml, env: { 'A=B': 'c' } }))).message).toContain('"A=B" is not a variable name');
    });

    it('reads --lease-timeout as a duration or milliseconds, between 2s and 24h', () => {
      expect(toCreateReleaseInput(dto({ configToml: toml, leaseTimeout: '30s' })).leaseTimeoutMs).toBe(30_000);
      expect(toCreateReleaseInput(dto({ configToml: toml, leaseTimeout: 2500 })).leaseTimeoutMs).toBe(2500);
      for (const bad of ['abc', 'none', '1s', '25h', 0]) {
        const error = errorOf(() => toCreateReleaseInput(dto({ configToml: toml, leaseTimeout: bad })));
        expect(error.code).toBe(ErrorCodes.VALIDATION);
        expect(error.message).toContain('leaseTimeout must be');
      }
    });

    it('passes the other flags through only when given, filters once each', () => {
      const input = toCreateReleaseInput(
        dto({
          configToml: toml,
          imageLabel: 'v42',
          skipReleaseCommand: true,
          updateOnly: true,
          ha: false,
          onlyRegions: ['ams', 'ams'],
          excludeRegions: [],
          onlyMachines: ['0123456789abcd'],
          excludeMachines: ['fedcba98765432'],
        }),
      );
      expect(input).toMatchObject({ imageLabel: 'v42', skipReleaseCommand: true, updateOnly: true, ha: false, onlyRegions: ['ams'], onlyMachines: ['0123456789abcd'], excludeMachines: ['fedcba98765432'] });
      expect(input).not.toHaveProperty('excludeRegions');
      const plain = toCreateReleaseInput(dto({ configToml: toml }));
      for (const key of ['imageLabel', 'skipReleaseCommand', 'updateOnly', 'ha', 'leaseTimeoutMs', 'onlyRegions', 'onlyMachines']) expect(plain).not.toHaveProperty(key);
    });
  });
});
