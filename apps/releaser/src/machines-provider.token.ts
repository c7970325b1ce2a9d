/** Injects releaser's `MachinesProvider` (`HANGAR_MACHINES_PROVIDER` and friends, `readMachinesProvider`). */
export const MACHINES_PROVIDER = Symbol('MACHINES_PROVIDER');
