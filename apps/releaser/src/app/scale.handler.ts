import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ulid } from 'ulid';
import { ErrorCodes, HangarError, commandPattern, streams, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import type { AppConfig } from '@hangar/app-config';
import { appDecider } from './domain/app.decider';
import { planScale } from './domain/scale.planner';
import { loadAggregate, toNewEvents } from '../decider-store';
import { appNotFound } from '../release/release.process';
import { ScaleDto } from './dto/scale.dto';

/** `scale count`: machine operations on the current release's config, no new release (DESIGN §7.1). */
@Controller()
export class ScaleHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
  ) {}

  @MessagePattern(commandPattern('releaser', 'scale'))
  async scale(@Payload() dto: ScaleDto): Promise<{ scale: { app: string; processGroup: string; from: number; to: number; created: number; destroyed: number } }> {
    const app = await loadAggregate(this.store, appDecider, streams.app(dto.app));
    if (!app.state.exists) throw appNotFound(dto.app);
    const current = app.state.lastComplete;
    if (!current) {
      throw new HangarError(ErrorCodes.NO_RELEASE, `app '${dto.app}' has no complete release yet: run \`hangar deploy\` first`, { app: dto.app });
    }
    const release = await this.currentRelease(current.releaseId);
    const processGroup = dto.processGroup ?? defaultGroup(release.config);
    if (!(processGroup in release.config.processes)) {
      throw new HangarError(ErrorCodes.VALIDATION, `process group '${processGroup}' is not in the app's config (groups: ${Object.keys(release.config.processes).join(', ')})`);
    }
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app: dto.app });
    const requestId = ulid();
    const ops = planScale({
      app: dto.app,
      machines,
      processGroup,
      region: dto.region ?? release.config.primaryRegion ?? machines.find((m) => m.managed)?.region,
      count: dto.count,
      release: { releaseId: current.releaseId, version: current.version, config: release.config, image: release.image, secretsVersion: release.secretsVersion },
      requestId,
      waitTimeoutMs: release.waitTimeoutMs,
    });
    const from = machines.filter((m) => m.managed && m.processGroup === processGroup).length;
    const events = [
      { type: 'ScaleRequested', data: { app: dto.app, requestId, processGroup, from, to: dto.count, releaseId: current.releaseId } },
      ...ops.map((op) => ({ type: 'MachineUpdateRequested', data: op })),
    ];
    await this.store.append(`scale-${dto.app}`, toNewEvents(events, { actor: dto.actor ?? 'anonymous', correlationId: requestId }), { expectedVersion: 'ANY' });
    return {
      scale: { app: dto.app, processGroup, from, to: dto.count, created: ops.filter((o) => o.kind === 'create').length, destroyed: ops.filter((o) => o.kind === 'destroy').length },
    };
  }

  private async currentRelease(releaseId: string): Promise<{ config: AppConfig; image: string; waitTimeoutMs: number; secretsVersion?: number }> {
    const events = await this.store.readStream(streams.release(releaseId));
    const queued = events.find((e) => e.type === 'ReleaseQueued')?.data as { config: AppConfig; waitTimeoutMs: number; secretsVersion?: number } | undefined;
    const planned = events.find((e) => e.type === 'RolloutPlanned')?.data as { image: { canonicalRef: string; digest: string } } | undefined;
    if (!queued || !planned) throw new HangarError(ErrorCodes.INTERNAL, `release ${releaseId} has no plan`);
    return { config: queued.config, image: pinnedImage(planned.image), waitTimeoutMs: queued.waitTimeoutMs, ...(queued.secretsVersion ? { secretsVersion: queued.secretsVersion } : {}) };
  }
}

function defaultGroup(config: AppConfig): string {
  const groups = Object.keys(config.processes).sort();
  return groups.includes('app') ? 'app' : groups[0]!;
}

/** `host/repo:tag@sha256:…`: machines run exactly the digest the release resolved. */
export function pinnedImage(image: { canonicalRef: string; digest: string }): string {
  return image.canonicalRef.includes('@') ? image.canonicalRef : `${image.canonicalRef}@${image.digest}`;
}
