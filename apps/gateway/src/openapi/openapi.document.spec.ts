import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import type { OperationObject, SchemaObject } from '@nestjs/swagger';
import { CreateAppDto, ImportAppDto } from '../../../releaser/src/app/dto/create-app.dto';
import { ScaleDto } from '../../../releaser/src/app/dto/scale.dto';
import { CreateReleaseDto, STRATEGIES } from '../../../releaser/src/release/dto/create-release.dto';
import { ReleaseActionDto } from '../../../releaser/src/release/dto/release-query.dto';
import { AllocateIpDto } from '../../../releaser/src/ips/dto/ip.dto';
import { RunMachineDto, RunMountDto } from '../../../machine-updater/src/machines/dto/run-machine.dto';
import { CloneMachineDto, StopMachineDto } from '../../../machine-updater/src/machines/dto/machine-action.dto';
import { CreateVolumeDto } from '../../../machine-updater/src/volumes/dto/volume.dto';
import { SetSecretsDto } from '../../../secrets/src/secrets/dto/secrets.dto';
import { AddReceiverDto, AddTriggerDto } from '../../../builder/src/registry/dto/registry.dto';
import { openApiDocument } from './openapi.document';

/**
 * The request bodies the gateway forwards are validated by the owning service's DTO (whitelisted, so
 * an undocumented field is refused): the documented fields must be the DTO's, less what the gateway
 * fills in itself (`app` from the path, `actor` from the token, sealed values) and plus what it
 * translates (`name` → `app`, `secret` → `sealedSecret`).
 */
const BODIES: { operationId: string; dto: new () => object; gatewaySets: string[]; gatewayReads?: string[]; at?: string }[] = [
  { operationId: 'createApp', dto: CreateAppDto, gatewaySets: ['actor'], gatewayReads: ['name'] },
  { operationId: 'importApp', dto: ImportAppDto, gatewaySets: ['actor', 'app'], gatewayReads: ['name'] },
  { operationId: 'deploy', dto: CreateReleaseDto, gatewaySets: ['app', 'trigger', 'actor'] },
  { operationId: 'scale', dto: ScaleDto, gatewaySets: ['app', 'actor'] },
  { operationId: 'rollbackRelease', dto: ReleaseActionDto, gatewaySets: ['app', 'version', 'actor'] },
  { operationId: 'runMachine', dto: RunMachineDto, gatewaySets: ['app', 'actor'] },
  { operationId: 'runMachine', dto: RunMountDto, gatewaySets: [], at: 'mount' },
  { operationId: 'cloneMachine', dto: CloneMachineDto, gatewaySets: ['app', 'machineId', 'actor'] },
  { operationId: 'stopMachine', dto: StopMachineDto, gatewaySets: ['app', 'machineId', 'actor'] },
  { operationId: 'restartMachine', dto: StopMachineDto, gatewaySets: ['app', 'machineId', 'actor'] },
  { operationId: 'createVolumes', dto: CreateVolumeDto, gatewaySets: ['app', 'actor'] },
  { operationId: 'allocateIp', dto: AllocateIpDto, gatewaySets: ['app', 'actor'] },
  { operationId: 'changeSecrets', dto: SetSecretsDto, gatewaySets: ['app', 'actor', 'sealedSet'] },
  { operationId: 'addReceiver', dto: AddReceiverDto, gatewaySets: ['sealedSecret', 'actor'], gatewayReads: ['secret'] },
  { operationId: 'addTrigger', dto: AddTriggerDto, gatewaySets: ['app', 'actor'] },
];

const operations = (): OperationObject[] =>
  Object.values(openApiDocument().paths).flatMap((item) => [item.get, item.post, item.put, item.delete, item.patch].filter((op): op is OperationObject => op !== undefined));

function bodySchema(operationId: string, at?: string): SchemaObject {
  const op = operations().find((o) => o.operationId === operationId);
  const body = op?.requestBody as { content: Record<string, { schema: SchemaObject }> } | undefined;
  const schema = body?.content['application/json']?.schema;
  if (!schema) throw new Error(`${operationId} documents no JSON body`);
  return at ? (schema.properties?.[at] as SchemaObject) : schema;
}

const dtoFields = (dto: new () => object): string[] => [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))];

describe('openApiDocument', () => {
  it.each(BODIES)('documents the fields $dto.name accepts from a client ($operationId)', ({ operationId, dto, gatewaySets, gatewayReads = [], at }) => {
    const schema = bodySchema(operationId, at);
    const expected = [...dtoFields(dto).filter((f) => !gatewaySets.includes(f)), ...gatewayReads].sort();
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(expected);
    expect(schema.additionalProperties).toBe(false);
  });

  it('lists the strategies the releaser accepts', () => {
    expect((bodySchema('deploy').properties?.strategy as SchemaObject).enum).toEqual([...STRATEGIES]);
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations().map((o) => o.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
