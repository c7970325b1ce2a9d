import { ErrorCodes, HangarError } from '@hangar/contracts';
import { rpcValidationPipe } from '@hangar/messaging';
import { CreateReleaseDto } from './create-release.dto';

describe(CreateReleaseDto.name, () => {
  const sut = rpcValidationPipe();
  const check = (body: Record<string, unknown>) => sut.transform({ app: 'demo', configToml: 'app = "demo"', ...body }, { type: 'body', metatype: CreateReleaseDto });
  const refusal = async (body: Record<string, unknown>): Promise<HangarError> => {
    const error: unknown = await check(body).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof HangarError)) throw new Error(`expected a HangarError for ${JSON.stringify(body)}`);
    return error;
  };

  it('takes the deploy flags of issue 15', async () => {
    const dto = (await check({
      env: { A: 'b' },
      imageLabel: 'deployment-01J',
      skipReleaseCommand: true,
      updateOnly: false,
      ha: false,
      leaseTimeout: '30s',
      onlyRegions: ['ams'],
      excludeRegions: ['cdg-2'],
      onlyMachines: ['0123456789abcd'],
      excludeMachines: ['fedcba98765432'],
    })) as CreateReleaseDto;
    expect(dto).toMatchObject({ ha: false, onlyMachines: ['0123456789abcd'], env: { A: 'b' } });
  });

  it.each([
    [{ onlyMachines: ['not-a-machine', '0123456789abcd'] }, 'onlyMachines: each of onlyMachines must be a machine id (14 lower-case hex characters); got "not-a-machine"'],
    [{ excludeRegions: ['AMS'] }, 'excludeRegions: each of excludeRegions must be a region'],
    [{ onlyRegions: 'ams' }, 'onlyRegions: onlyRegions must be a list'],
    [{ imageLabel: '-bad' }, 'imageLabel: imageLabel must be an image tag'],
    [{ ha: 'no' }, 'ha: ha must be a boolean value'],
    [{ env: 'A=b' }, 'env: env must be an object of NAME: value'],
  ])('refuses %j as REQUEST.INVALID naming the field', async (body, message) => {
    const error = await refusal(body);
    expect(error.code).toBe(ErrorCodes.VALIDATION);
    expect(error.message).toContain(message);
  });
});
