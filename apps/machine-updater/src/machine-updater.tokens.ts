/** Injection token of the `MachinesApi` port (the real Fly API or fleet, by configuration). */
export const MACHINES_API = Symbol('MACHINES_API');
