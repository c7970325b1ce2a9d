import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type AppSummary } from '@hangar/contracts';
import { EVENT_STORE, StreamVersionConflictError, type EventStore } from '@hangar/event-store';
import { appDecider, missingApp, type AppState } from './domain/app.decider';
import { loadAggregate, toNewEvents } from '../decider-store';
import { generateAppName } from './app-name.generator';
import { AppNameDto, CreateAppDto } from './dto/create-app.dto';

/** App commands and queries: create, list, show. */
@Controller()
export class AppsHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(commandPattern('releaser', 'create-app'))
  async create(@Payload() dto: CreateAppDto): Promise<{ app: AppSummary }> {
    for (let attempt = 0; ; attempt++) {
      const name = dto.app ?? generateAppName();
      const app = await loadAggregate(this.store, appDecider, streams.app(name));
      // A generated name that is taken (by a live or a destroyed app) is simply drawn again.
      if (dto.app === undefined && app.version > 0 && attempt < 5) continue;
      const events = appDecider.decide({ type: 'CreateApp', app: name, platformVersion: dto.machines ? 'legacy' : 'v2', now: new Date().toISOString() }, app.state);
      try {
        await this.store.append(streams.app(name), toNewEvents(events, { actor: dto.actor ?? 'anonymous' }), { expectedVersion: 'NO_STREAM' });
        return { app: await this.summary(name) };
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || dto.app !== undefined || attempt >= 5) throw error;
      }
    }
  }

  @MessagePattern(commandPattern('releaser', 'get-app'))
  async get(@Payload() dto: AppNameDto): Promise<{ app: AppSummary }> {
    return { app: await this.summary(dto.app) };
  }

  @MessagePattern(commandPattern('releaser', 'list-apps'))
  async list(): Promise<{ apps: AppSummary[] }> {
    const ids = await this.store.listStreams(streams.app(''));
    const loaded = await Promise.all(ids.map(async (id) => ({ name: id.slice(streams.app('').length), ...(await loadAggregate(this.store, appDecider, id)) })));
    // Destroyed apps keep their streams for audit, but are no longer apps.
    const apps = loaded.filter((a) => a.state.exists).map((a) => toSummary(a.name, a.state));
    return { apps: apps.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  private async summary(name: string): Promise<AppSummary> {
    const { state } = await loadAggregate(this.store, appDecider, streams.app(name));
    if (!state.exists) throw missingApp(name, state);
    return toSummary(name, state);
  }
}

function toSummary(name: string, s: AppState): AppSummary {
  const ref = (r: { releaseId: string; version: number }) => ({ id: r.releaseId, version: r.version });
  return {
    name,
    platformVersion: s.platformVersion,
    createdAt: s.createdAt,
    ...(s.lastComplete ? { currentRelease: ref(s.lastComplete) } : {}),
    ...(s.running ? { runningRelease: ref(s.running) } : {}),
    queuedReleases: s.queue.map(ref),
  };
}
