import { Inject, Injectable } from '@nestjs/common';
import { ErrorCodes, HangarError, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { appDecider } from '../app/domain/app.decider';
import { planRollout } from './domain/plan-rollout';
import { releaseDecider } from './domain/release.decider';
import { volumeProblems } from './domain/volume-plan';
import type { FilterOutcome } from './domain/machine-filters';
import { fleetOf } from './release.process';
import { evolveAll, loadAggregate } from '../decider-store';
import type { CreateReleaseInput } from './release-queue';

export interface DryRunEntry {
  machineId?: string;
  processGroup: string;
  /** Absent when the platform will choose (no `primary_region`, no machine to follow). */
  region?: string;
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
  /** A deploy filter applied: which flags, and how many of the app's managed machines pass them. */
  filters?: FilterOutcome;
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
    const { machines, volumes } = await fleetOf(this.commands, input.app);
    const image = { ref: input.imageRef, canonicalRef: input.imageRef, digest: '', imageId: '' };
    const problems = volumeProblems(input.config, machines, volumes, { allowDetach: input.allowVolumeDetach === true });
    if (problems.length > 0) throw new HangarError(ErrorCodes.CONFIG_INVALID, problems.join('\n'), { problems });
    const { entries, filters } = planRollout(state, image, machines, volumes);
    const releaseCommand = input.skipReleaseCommand ? undefined : input.config.deploy?.releaseCommand;
    return {
      dryRun: {
        app: input.app,
        version,
        strategy: input.strategy,
        image: input.imageRef,
        ...(releaseCommand ? { releaseCommand } : {}),
        ...(filters ? { filters } : {}),
        entries: entries.map((e) => ({
          ...(e.machineId ? { machineId: e.machineId } : {}),
          processGroup: e.processGroup,
          ...(e.region === undefined ? {} : { region: e.region }),
          action: e.action,
          ...(e.fromReleaseVersion === undefined ? {} : { fromVersion: e.fromReleaseVersion }),
          toVersion: version,
        })),
      },
    };
  }
}
