import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCodes, HangarError, commandPattern, streams, type ReleaseSummary } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CreateReleaseDto } from './dto/create-release.dto';
import { GetReleaseDto, ListReleasesDto, ReleaseActionDto } from './dto/release-query.dto';
import { DryRun, type DryRunPlan } from './dry-run';
import { VolumeCheck } from './volume-check';
import { toCreateReleaseInput } from './deploy-request';
import { refuseEnvShadowingSecrets } from './env-secrets-check';
import { ReleaseProcess, appNotFound, type ReleaseRef } from './release.process';
import { summarizeRelease } from './release-summary';
import { LegacyAppMigration } from '../app/migrate-to-v2';

/** Release commands and queries over NATS request-reply. */
@Controller()
export class ReleasesHandler {
  constructor(
    private readonly process: ReleaseProcess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly legacy: LegacyAppMigration,
    private readonly dryRun: DryRun,
    private readonly volumes: VolumeCheck,
  ) {}

  @MessagePattern(commandPattern('releaser', 'create-release'))
  async create(@Payload() dto: CreateReleaseDto): Promise<{ release: ReleaseRef } | { dryRun: DryRunPlan }> {
    const input = toCreateReleaseInput(dto);
    await refuseEnvShadowingSecrets(this.store, input);
    await this.legacy.ensureV2(input, { confirmed: dto.migrateToV2 === true, dryRun: dto.dryRun === true });
    if (dto.dryRun) return this.dryRun.plan(input);
    await this.volumes.check(input);
    return this.process.createRelease(input);
  }

  @MessagePattern(commandPattern('releaser', 'rollback-release'))
  async rollback(@Payload() dto: ReleaseActionDto): Promise<{ release: ReleaseRef }> {
    return this.process.rollback(dto.app, dto.version, dto.actor ?? 'anonymous', dto.restoreSecrets === true);
  }

  @MessagePattern(commandPattern('releaser', 'cancel-release'))
  async cancel(@Payload() dto: ReleaseActionDto): Promise<{ release: { id: string; version: number; status: string } }> {
    if (dto.version === undefined) throw new HangarError(ErrorCodes.VALIDATION, 'version is required', [{ path: 'version', message: 'required' }]);
    return this.process.cancel(dto.app, dto.version, dto.actor ?? 'anonymous');
  }

  @MessagePattern(commandPattern('releaser', 'list-releases'))
  async list(@Payload() dto: ListReleasesDto): Promise<{ releases: ReleaseSummary[] }> {
    const ids = await this.releaseIds(dto.app);
    const releases = await Promise.all(ids.map(async (id) => summarizeRelease(await this.store.readStream(streams.release(id)))));
    return { releases: releases.sort((a, b) => b.version - a.version) };
  }

  @MessagePattern(commandPattern('releaser', 'get-release'))
  async get(@Payload() dto: GetReleaseDto): Promise<{ release: ReleaseSummary }> {
    const ids = await this.releaseIds(dto.app);
    for (const id of ids) {
      const summary = summarizeRelease(await this.store.readStream(streams.release(id)));
      if (summary.version === dto.version) return { release: summary };
    }
    throw new HangarError(ErrorCodes.RELEASE_NOT_FOUND, `release v${dto.version} of app '${dto.app}' not found`, { app: dto.app, version: dto.version });
  }

  private async releaseIds(app: string): Promise<string[]> {
    const events = await this.store.readStream(streams.app(app));
    if (events.length === 0) throw appNotFound(app);
    return events.filter((e) => e.type === 'ReleaseEnqueued').map((e) => String((e.data as { releaseId: string }).releaseId));
  }
}
