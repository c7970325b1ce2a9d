import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { toJsonContract, type AppConfig } from '@hangar/app-config';
import { ErrorCodes, HangarError, commandPattern, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { loadAggregate } from '../decider-store';
import { appDecider, missingApp } from './domain/app.decider';
import { AppNameDto } from './dto/create-app.dto';
import { pinnedImage } from './scale.handler';

/** The reply of `get-config`: the normalised config (DESIGN §6.1 contract) of the app's current release. */
export interface CurrentConfig {
  app: string;
  release: { id: string; version: number; image?: string };
  config: AppConfig;
}

/**
 * `config show` / `config save`: the config of the app's current release (its last complete one),
 * exactly as that release recorded it. Secrets are never part of it: they travel as a secrets version.
 */
@Controller()
export class CurrentConfigHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(commandPattern('releaser', 'get-config'))
  async get(@Payload() dto: AppNameDto): Promise<CurrentConfig> {
    const { state } = await loadAggregate(this.store, appDecider, streams.app(dto.app));
    if (!state.exists) throw missingApp(dto.app, state);
    const current = state.lastComplete;
    if (!current) {
      throw new HangarError(ErrorCodes.NO_RELEASE, `app ${dto.app} has no complete release yet, so no config: \`hangar deploy\` gives it one`, { app: dto.app });
    }
    const events = await this.store.readStream(streams.release(current.releaseId));
    const queued = events.find((e) => e.type === 'ReleaseQueued')?.data as { config: AppConfig } | undefined;
    const planned = events.find((e) => e.type === 'RolloutPlanned')?.data as { image?: { canonicalRef: string; digest: string } } | undefined;
    if (!queued) throw new HangarError(ErrorCodes.INTERNAL, `release ${current.releaseId} has no ReleaseQueued event`);
    return {
      app: dto.app,
      release: { id: current.releaseId, version: current.version, ...(planned?.image ? { image: pinnedImage(planned.image) } : {}) },
      config: toJsonContract(queued.config),
    };
  }
}
