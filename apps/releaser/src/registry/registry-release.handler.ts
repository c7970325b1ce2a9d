import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, RegistryEventTypes, streams, type PushOutcome, type TriggerFiredData, type TriggerSkippedData } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore, type Tx } from '@hangar/event-store';
import { appDecider } from '../app/domain/app.decider';
import { loadAggregate } from '../decider-store';
import { releaseDecider, type ReleaseState } from '../release/domain/release.decider';
import { ReleaseProcess } from '../release/release.process';
import { enqueueRelease } from '../release/release-queue';
import { decideRegistryRelease, firedReleases, recordedOutcome, registryReleaseBase, type TriggeredPush } from './domain/registry-release';
import { RegistryReleaseDto } from './dto/registry-release.dto';

/**
 * `registry-release` (issue 6): builder reports a push one trigger followed. In one transaction the
 * outcome lands in `trigger-<id>`: `TriggerFired` with the release it queued (cancelling the
 * trigger's queued older one), or `TriggerSkipped` with why. Asked again for the same push, it
 * answers what it decided the first time.
 */
@Controller()
export class RegistryReleaseHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly process: ReleaseProcess,
  ) {}

  @MessagePattern(commandPattern('releaser', 'registry-release'))
  handle(@Payload() dto: RegistryReleaseDto): Promise<{ outcome: PushOutcome }> {
    return retryOnConflict(() => this.store.transaction((tx) => this.decide(dto, tx)));
  }

  private async decide(dto: RegistryReleaseDto, tx: Tx): Promise<{ outcome: PushOutcome }> {
    const streamId = streams.trigger(dto.triggerId);
    const history = await this.store.readStream(streamId, { tx });
    const earlier = recordedOutcome(history, dto.pushEventId);
    if (earlier) return { outcome: earlier };
    const push: TriggeredPush = { ...dto };
    const metadata = { actor: dto.actor, causationId: dto.pushEventId };
    const skip = async (reason: string) => {
      const data: TriggerSkippedData = { ...common(dto), reason };
      await this.store.append(streamId, [{ type: RegistryEventTypes.TriggerSkipped, data: { ...data }, metadata }], { expectedVersion: history.length, tx });
      return { outcome: { triggerId: dto.triggerId, app: dto.app, result: 'skipped' as const, reason } };
    };
    if (dto.skip) return skip(dto.skip);

    const app = (await loadAggregate(this.store, appDecider, streams.app(dto.app), tx)).state;
    const queuedFromTrigger: ReleaseState[] = [];
    for (const fired of firedReleases(history)) {
      const release = await this.release(fired.releaseId, tx);
      if (release.status === 'queued') queuedFromTrigger.push(release);
    }
    const baseRef = registryReleaseBase(app, new Set(queuedFromTrigger.map((r) => r.releaseId)));
    const base = baseRef ? await this.release(baseRef.releaseId, tx) : undefined;
    const decision = decideRegistryRelease(push, { app, queuedFromTrigger, ...(base ? { base } : {}) });
    if (decision.kind === 'skip') return skip(decision.reason);

    for (const older of decision.supersede) await this.process.cancelQueuedIn(tx, older.releaseId, { ...metadata, correlationId: older.releaseId });
    const release = await enqueueRelease(this.store, decision.input, tx, metadata);
    const superseded = decision.supersede[decision.supersede.length - 1];
    const data: TriggerFiredData = {
      ...common(dto),
      digest: dto.digest!,
      releaseId: release.id,
      version: release.version,
      ...(superseded ? { superseded: { releaseId: superseded.releaseId, version: superseded.version } } : {}),
    };
    await this.store.append(streamId, [{ type: RegistryEventTypes.TriggerFired, data: { ...data }, metadata }], { expectedVersion: history.length, tx });
    return { outcome: { triggerId: dto.triggerId, app: dto.app, result: 'deployed', releaseId: release.id, version: release.version } };
  }

  private async release(releaseId: string, tx: Tx): Promise<ReleaseState> {
    return (await loadAggregate(this.store, releaseDecider, streams.release(releaseId), tx)).state;
  }
}

function common(dto: RegistryReleaseDto): Omit<TriggerSkippedData, 'reason'> {
  return {
    triggerId: dto.triggerId,
    app: dto.app,
    pushEventId: dto.pushEventId,
    host: dto.host,
    repository: dto.repository,
    tag: dto.tag,
    ...(dto.digest ? { digest: dto.digest } : {}),
    pushedAt: dto.pushedAt,
  };
}
