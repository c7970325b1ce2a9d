import { Inject, Injectable } from '@nestjs/common';
import { streams, type MachineView } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { appDecider } from '../app/domain/app.decider';
import { planRollout } from './domain/plan-rollout';
import { releaseDecider, type MachineSnapshot } from './domain/release.decider';
import { evolveAll, loadAggregate } from '../decider-store';
import type { CreateReleaseInput } from './release-queue';

export interface DryRunEntry {
  machineId?: string;
  processGroup: string;
  region: string;
  action: string;
  fromVersion?: number;
  toVersion: number;
}

export interface DryRunPlan {
  app: string;
  version: number;
  strategy: string;
  image: string;
  releaseCommand?: string;
  entries: DryRunEntry[];
}

/** `deploy --dry-run`: the plan the release would fix now, computed by the same pure planner; writes nothing. */
@Injectable()
export class DryRun {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
  ) {}

  async plan(input: CreateReleaseInput): Promise<{ dryRun: DryRunPlan }> {
    const { state: app } = await loadAggregate(this.store, appDecider, streams.app(input.app));
    const version = app.lastVersion + 1;
    const queued = releaseDecider.decide({ type: 'QueueRelease', releaseId: 'dry-run', version, ...input, now: new Date().toISOString() }, releaseDecider.initialState());
    const state = evolveAll(releaseDecider, releaseDecider.initialState(), queued);
    const { machines } = await this.commands.request<{ machines: MachineView[] }>('machine-updater', 'list-machines', { app: input.app });
    const image = { ref: input.imageRef, canonicalRef: input.imageRef, digest: '', imageId: '' };
    const { entries } = planRollout(state, image, machines.map(toSnapshot));
    const releaseCommand = input.skipReleaseCommand ? undefined : input.config.deploy?.releaseCommand;
    return {
      dryRun: {
        app: input.app,
        version,
        strategy: input.strategy,
        image: input.imageRef,
        ...(releaseCommand ? { releaseCommand } : {}),
        entries: entries.map((e) => ({
          ...(e.machineId ? { machineId: e.machineId } : {}),
          processGroup: e.processGroup,
          region: e.region,
          action: e.action,
          ...(e.fromReleaseVersion === undefined ? {} : { fromVersion: e.fromReleaseVersion }),
          toVersion: version,
        })),
      },
    };
  }
}

function toSnapshot(m: MachineView): MachineSnapshot {
  return {
    id: m.id,
    state: m.state,
    region: m.region,
    processGroup: m.processGroup,
    managed: m.managed,
    ...(m.releaseId ? { releaseId: m.releaseId } : {}),
    ...(m.releaseVersion ? { releaseVersion: m.releaseVersion } : {}),
    instanceId: m.instanceId,
    config: m.config,
  };
}
