import { Injectable } from '@nestjs/common';
import { ErrorCodes, HangarError } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import { volumeProblems } from './domain/volume-plan';
import { fleetOf } from './release.process';
import type { CreateReleaseInput } from './release-queue';

/**
 * DESIGN §6.4 at validation time: a deploy that would rename a mounted volume's source, detach
 * volumes without `--yes`, or add `[mounts]` without enough unattached volumes is refused before
 * anything is written. The plan checks again, as machines may change while the release waits.
 */
@Injectable()
export class VolumeCheck {
  constructor(private readonly commands: CommandClient) {}

  async check(input: CreateReleaseInput): Promise<void> {
    const usesVolumes = input.config.mounts.length > 0;
    const { machines, volumes } = await fleetOf(this.commands, input.app);
    if (!usesVolumes && !machines.some((m) => m.managed && (m.config.mounts?.length ?? 0) > 0)) return;
    const problems = volumeProblems(input.config, machines, volumes, { allowDetach: input.allowVolumeDetach === true });
    if (problems.length > 0) {
      throw new HangarError(ErrorCodes.CONFIG_INVALID, problems.join('\n'), { problems });
    }
  }
}
