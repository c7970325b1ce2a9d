import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { commandPattern, streams, type AppSummary, type MachinesProvider, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { appDecider } from './domain/app.decider';
import type { ImportApp } from './domain/app.commands';
import { loadAggregate, toNewEvents } from '../decider-store';
import { ImportAppDto } from './dto/create-app.dto';
import { MACHINES_PROVIDER } from '../machines-provider.token';
import { orgFor, orgMismatch } from './provider-org';
import { toSummary } from './apps.handler';

/** What `apps import` adopted. */
export interface ImportedApp {
  org: string;
  /** The highest `fly_release_version` of its managed machines (0 when none); the next deploy is one more. */
  releaseVersion: number;
  managed: string[];
  unmanaged: string[];
}

/**
 * `apps import <app>` (issue 14 point 1): adopts the machines provider's existing app. Its machines
 * are listed and recorded as they are (nothing on the provider is changed): those with
 * `fly_platform_version = v2` stay deploy's at their `fly_release_version`, the rest stay unmanaged.
 * `AppCreated` and `AppImported` are appended together, as the new stream's first events.
 */
@Controller()
export class ImportAppHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
    @Inject(MACHINES_PROVIDER) private readonly provider: MachinesProvider,
  ) {}

  @MessagePattern(commandPattern('releaser', 'import-app'))
  async import(@Payload() dto: ImportAppDto): Promise<{ app: AppSummary; imported: ImportedApp }> {
    const loaded = await loadAggregate(this.store, appDecider, streams.app(dto.app));
    const command: ImportApp = { type: 'ImportApp', app: dto.app, machines: [], now: new Date().toISOString() };
    appDecider.decide(command, loaded.state);
    const found = await this.commands.request<{ org?: string; machines: MachineView[] }>('machine-updater', 'inspect-provider-app', { app: dto.app }, { timeoutMs: 30_000 });
    const org = found.org ?? orgFor(dto.org, this.provider);
    if (dto.org !== undefined && org !== dto.org) throw orgMismatch(dto.app, org, dto.org);
    const machines = found.machines.map((m) => ({ id: m.id, managed: m.managed, processGroup: m.processGroup, ...(m.releaseVersion === undefined ? {} : { releaseVersion: m.releaseVersion }) }));
    const events = appDecider.decide({ ...command, provider: { provider: this.provider.kind, org, providerApp: 'imported' }, machines }, loaded.state);
    await this.store.append(streams.app(dto.app), toNewEvents(events, { actor: dto.actor ?? 'anonymous' }), { expectedVersion: 'NO_STREAM' });
    const state = events.reduce((s, e) => appDecider.evolve(s, e), loaded.state);
    const imported = events.find((e) => e.type === 'AppImported');
    const data = imported?.type === 'AppImported' ? imported.data : { org, releaseVersion: 0, managed: [], unmanaged: [] };
    return {
      app: toSummary(dto.app, state),
      imported: { org: data.org, releaseVersion: data.releaseVersion, managed: data.managed.map((m) => m.machineId), unmanaged: [...data.unmanaged] },
    };
  }
}
