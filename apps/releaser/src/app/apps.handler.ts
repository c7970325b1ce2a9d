import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type AppSummary } from '@hangar/contracts';
import { EVENT_STORE, StreamVersionConflictError, type EventStore } from '@hangar/event-store';
import { appDecider, type AppState } from './domain/app.decider';
import { loadAggregate, toNewEvents } from '../decider-store';
import { appNotFound } from '../release/release.process';
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
    const apps = await Promise.all(ids.map((id) => this.summary(id.slice(streams.app('').length))));
    return { apps: apps.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  private async summary(name: string): Promise<AppSummary> {
    const { state } = await loadAggregate(this.store, appDecider, streams.app(name));
    if (!state.exists) throw appNotFound(name);
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
