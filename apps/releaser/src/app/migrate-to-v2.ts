import { Inject, Injectable } from '@nestjs/common';
import { streams, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import type { AppConfig } from '@hangar/app-config';
import { appDecider } from './domain/app.decider';
import { migrationRequired, planAdoption } from './domain/adoption';
import { loadAggregate, toNewEvents } from '../decider-store';

/** Adopting a handful of machines: a lease and two metadata writes each. */
const ADOPT_TIMEOUT_MS = 25_000;

/**
 * The legacy-app gate in front of a release (DESIGN §6.7). A v2 app passes. A legacy app is refused
 * with `RELEASE.MIGRATION_REQUIRED` until the request confirms; then machine-updater writes v2
 * metadata on the machines that exist now (recording `MachineAdopted` on each before touching it)
 * and the app records `AppMigratedToV2`, all before the release is queued. Adoption comes first so
 * a crash between the two leaves a legacy app (asks again; adopting twice is harmless), never a v2
 * app with unadopted machines.
 */
@Injectable()
export class LegacyAppMigration {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
  ) {}

  async ensureV2(input: { app: string; config: AppConfig; actor: string }, opts: { confirmed: boolean; dryRun?: boolean }): Promise<void> {
    const { state } = await loadAggregate(this.store, appDecider, streams.app(input.app));
    if (!state.exists || state.platformVersion === 'v2') return;
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app: input.app });
    const adoption = planAdoption(machines, input.config);
    if (!opts.confirmed) throw migrationRequired(input.app, adoption.length);
    if (opts.dryRun) return;
    if (adoption.length > 0) {
      await this.commands.request('machine-updater', 'adopt-machines', { app: input.app, machines: adoption, actor: input.actor }, { timeoutMs: ADOPT_TIMEOUT_MS });
    }
    await retryOnConflict(async () => {
      const app = await loadAggregate(this.store, appDecider, streams.app(input.app));
      const events = appDecider.decide({ type: 'MigrateToV2', app: input.app, machineIds: adoption.map((a) => a.machineId) }, app.state);
      if (events.length === 0) return;
      await this.store.append(streams.app(input.app), toNewEvents(events, { actor: input.actor }), { expectedVersion: app.version });
    });
  }
}
