import { REDACTED, SecretsEventTypes, type MachineDetail } from '@hangar/contracts';
import type { Machine, MachineConfig } from '@hangar/machines-api';
import { toMachineView } from './machine-view';

type StreamEvent = { readonly type: string; readonly data: Readonly<Record<string, unknown>> };

/**
 * Every name the app ever had a secret under, from its `secrets-<app>` stream: a machine may still
 * carry a value that a later, undeployed version unset, so every version counts.
 */
export function secretNamesOf(events: readonly StreamEvent[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const e of events) {
    if (e.type !== SecretsEventTypes.SecretsUpdated) continue;
    const set = e.data.set;
    if (typeof set === 'object' && set !== null) Object.keys(set).forEach((name) => names.add(name));
  }
  return names;
}

/**
 * The env as it may be shown: secrets are delivered into `config.env` under their own names (a
 * secret overriding an `[env]` entry of the same name), so each of those names shows
 * {@link REDACTED} instead of its value; the rest (`[env]`, `machine run -e`) is shown as it is.
 */
export function redactEnv(env: Readonly<Record<string, string>> | undefined, secretNames: ReadonlySet<string>): Record<string, string> | undefined {
  if (!env) return undefined;
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, secretNames.has(name) ? REDACTED : value]));
}

/** `machine status`: the machine's view, its config with the env redacted, its events and checks. */
export function toMachineDetail(machine: Machine, secretNames: ReadonlySet<string>): MachineDetail {
  const env = redactEnv(machine.config.env, secretNames);
  const config: MachineConfig = { ...machine.config, ...(env ? { env } : {}) };
  return {
    ...toMachineView(machine),
    config,
    name: machine.name,
    ...(machine.private_ip ? { privateIp: machine.private_ip } : {}),
    ...(machine.cordoned !== undefined ? { cordoned: machine.cordoned } : {}),
    ...(machine.host_status ? { hostStatus: machine.host_status } : {}),
    createdAt: machine.created_at,
    updatedAt: machine.updated_at,
    events: machine.events ?? [],
    checks: machine.checks ?? [],
  };
}
