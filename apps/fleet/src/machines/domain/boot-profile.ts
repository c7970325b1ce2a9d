import type { MachineConfig } from '@hangar/machines-api';
import type { Fault, FaultEffect, RunProfile } from './sim.types';

/** What a fault is matched against when a machine boots or is updated. */
export interface FaultContext {
  app: string;
  machineId: string;
  config: MachineConfig;
}

/** Effects decided when a machine boots (create, update, start); `update-error` is decided by the update call itself. */
export const BOOT_EFFECTS: readonly FaultEffect[] = ['crash-on-start', 'unhealthy', 'slow-start', 'exit', 'exit-nested', 'vanish'];

/** Effects that end the run with an exit (one at most applies to a boot). */
const EXIT_EFFECTS: readonly FaultEffect[] = ['exit', 'exit-nested', 'vanish'];

/** Process groups whose machines run a command once and exit (flyctl's release and test machines). */
const ONE_SHOT_GROUPS = new Set(['fly_app_release_command', 'fly_app_test_machine_command']);

/** The machine's command as one string: `init.cmd` joined by spaces ('' when it has none). */
export function commandOf(config: MachineConfig): string {
  return (config.init?.cmd ?? []).join(' ');
}

/**
 * Whether the fault applies: every criterion given must hold. `image` and `command` match exactly or
 * as a prefix (`image: "registry/app"` hits every tag; `command: "bin/migrate"` hits
 * `bin/migrate --all` but not `bin/migrated`).
 */
export function faultMatches(fault: Fault, ctx: FaultContext): boolean {
  const { app, image, machineId, command } = fault.match;
  if (fault.remaining !== null && fault.remaining <= 0) return false;
  if (app !== undefined && app !== ctx.app) return false;
  if (machineId !== undefined && machineId !== ctx.machineId) return false;
  if (image !== undefined && !ctx.config.image.startsWith(image)) return false;
  if (command !== undefined) {
    const cmd = commandOf(ctx.config);
    if (cmd !== command && !cmd.startsWith(`${command} `)) return false;
  }
  return true;
}

/**
 * Machines that are jobs rather than servers: they run their command and exit. In the sim they exit 0
 * right after boot unless an `exit` fault says otherwise.
 */
export function isOneShot(config: MachineConfig): boolean {
  return config.auto_destroy === true || ONE_SHOT_GROUPS.has(config.metadata?.fly_process_group ?? '');
}

/** The boot faults that apply to this boot, oldest first; at most one of the run-ending ones (crash wins over exit). */
export function selectBootFaults(faults: readonly Fault[], ctx: FaultContext): Fault[] {
  const matching = faults.filter((f) => BOOT_EFFECTS.includes(f.effect) && faultMatches(f, ctx));
  const ending = matching.find((f) => f.effect === 'crash-on-start') ?? matching.find((f) => EXIT_EFFECTS.includes(f.effect));
  return matching.filter((f) => (f.effect !== 'crash-on-start' && !EXIT_EFFECTS.includes(f.effect)) || f === ending);
}

/** The first `update-error` fault that applies to an update, if any. */
export function selectUpdateError(faults: readonly Fault[], ctx: FaultContext): Fault | undefined {
  return faults.find((f) => f.effect === 'update-error' && faultMatches(f, ctx));
}

/** How this boot will go, given fleet's boot time and the faults that hit it. */
export function runProfile(config: MachineConfig, baseBootMs: number, applied: readonly Fault[]): RunProfile {
  const slow = applied.filter((f) => f.effect === 'slow-start').reduce((sum, f) => sum + f.delayMs, 0);
  const profile: RunProfile = {
    bootMs: baseBootMs + slow,
    outcome: 'serve',
    exitCode: 0,
    runMs: 0,
    logs: [],
    unhealthy: applied.some((f) => f.effect === 'unhealthy'),
  };
  const crash = applied.find((f) => f.effect === 'crash-on-start');
  if (crash) return { ...profile, outcome: 'crash', exitCode: 1, logs: crash.logs };
  const exit = applied.find((f) => EXIT_EFFECTS.includes(f.effect));
  if (exit) {
    const shape = exit.effect === 'exit-nested' ? { exitEvent: 'nested' as const } : exit.effect === 'vanish' ? { exitEvent: 'none' as const } : {};
    return { ...profile, outcome: 'exit', exitCode: exit.code ?? 0, runMs: exit.delayMs, logs: exit.logs, ...shape };
  }
  if (isOneShot(config)) return { ...profile, outcome: 'exit' };
  return profile;
}
