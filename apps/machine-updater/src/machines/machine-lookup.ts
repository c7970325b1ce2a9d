import { ErrorCodes, HangarError } from '@hangar/contracts';
import type { Machine, MachinesApi } from '@hangar/machines-api';
import { isLive } from './domain/machine-view';

/**
 * The machine, or `MACHINE.NOT_FOUND` naming it and its app when the Machines API has none; a
 * destroyed one counts as none unless `opts.destroyed` (`machine status` shows how it ended).
 */
export async function liveMachine(api: MachinesApi, app: string, id: string, opts: { destroyed?: boolean } = {}): Promise<Machine> {
  const machine = await api.get(app, id).catch((error: unknown) => {
    if ((error as { code?: string }).code === ErrorCodes.MACHINE_NOT_FOUND) throw machineNotFound(app, id);
    throw error;
  });
  if (!opts.destroyed && !isLive(machine)) throw machineNotFound(app, id);
  return machine;
}

function machineNotFound(app: string, id: string): HangarError {
  return new HangarError(ErrorCodes.MACHINE_NOT_FOUND, `machine ${id} not found in app ${app}`, { machineId: id });
}
