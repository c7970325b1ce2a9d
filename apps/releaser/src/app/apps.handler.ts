import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type AppSummary, type MachinesProvider } from '@hangar/contracts';
import { EVENT_STORE, StreamVersionConflictError, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { appDecider, missingApp, type AppState } from './domain/app.decider';
import type { CreateApp } from './domain/app.commands';
import { loadAggregate, toNewEvents } from '../decider-store';
import { generateAppName } from './app-name.generator';
import { AppNameDto, CreateAppDto } from './dto/create-app.dto';
import { MACHINES_PROVIDER } from '../machines-provider.token';
import { orgFor, orgMismatch } from './provider-org';

/** Creating the provider's app: one API call, perhaps retried. */
const PROVIDER_APP_TIMEOUT_MS = 30_000;

/** App commands and queries: create, list, show. */
@Controller()
export class AppsHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
    @Inject(MACHINES_PROVIDER) private readonly provider: MachinesProvider,
  ) {}

  /**
   * Validates, then has machine-updater create the provider's app (once, here, never on the machine
   * path; an app of that name the token can read is accepted), then records `AppCreated` with the
   * provider, org and whether it was made or found. A crash between the two leaves a provider app
   * and no Hangar app: running `apps create` again finds it and records it.
   */
  @MessagePattern(commandPattern('releaser', 'create-app'))
  async create(@Payload() dto: CreateAppDto): Promise<{ app: AppSummary }> {
    const org = orgFor(dto.org, this.provider);
    for (let attempt = 0; ; attempt++) {
      const name = dto.app ?? generateAppName();
      const app = await loadAggregate(this.store, appDecider, streams.app(name));
      // A generated name that is taken (by a live or a destroyed app) is simply drawn again.
      if (dto.app === undefined && app.version > 0 && attempt < 5) continue;
      const command: CreateApp = { type: 'CreateApp', app: name, platformVersion: dto.machines ? 'legacy' : 'v2', now: new Date().toISOString() };
      appDecider.decide(command, app.state);
      const made = await this.commands.request<{ org: string; created: boolean }>('machine-updater', 'create-provider-app', { app: name, org }, { timeoutMs: PROVIDER_APP_TIMEOUT_MS });
      // A generated name must not adopt someone's existing app by chance.
      if (dto.app === undefined && !made.created && attempt < 5) continue;
      if (!made.created && dto.org !== undefined && made.org !== dto.org) throw orgMismatch(name, made.org, dto.org);
      const events = appDecider.decide({ ...command, provider: { provider: this.provider.kind, org: made.org, providerApp: made.created ? 'created' : 'existing' } }, app.state);
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

export function toSummary(name: string, s: AppState): AppSummary {
  const ref = (r: { releaseId: string; version: number }) => ({ id: r.releaseId, version: r.version });
  return {
    name,
    platformVersion: s.platformVersion,
    createdAt: s.createdAt,
    ...(s.org ? { org: s.org } : {}),
    ...(s.importedVersion === undefined ? {} : { importedVersion: s.importedVersion }),
    ...(s.lastComplete ? { currentRelease: ref(s.lastComplete) } : {}),
    ...(s.running ? { runningRelease: ref(s.running) } : {}),
    queuedReleases: s.queue.map(ref),
  };
}
