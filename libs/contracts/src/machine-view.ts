import type { MachineConfig, MachineState } from '@hangar/machines-api';

/** One machine as the `list-machines` command returns it (and `status --json` shows, minus `config`). */
export interface MachineView {
  id: string;
  processGroup: string;
  region: string;
  state: MachineState;
  managed: boolean;
  releaseId?: string;
  releaseVersion?: number;
  image: string;
  instanceId: string;
  volume?: string;
  mountPath?: string;
  config: MachineConfig;
}
