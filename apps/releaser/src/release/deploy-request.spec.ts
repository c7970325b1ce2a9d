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
});
