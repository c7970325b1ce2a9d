import type { MachineConfig, MachineMount } from '@hangar/machines-api';
import { FleetErrorCodes, fleetError } from './fleet-errors';

/**
 * The checks fleet makes on a machine config before accepting it: the fields the simulator reads
 * must have the right shape. Everything else is stored as given, as the real API would.
 */
export function assertValidConfig(config: unknown): asserts config is MachineConfig {
  const c = config as Partial<MachineConfig> | null;
  const fail = (message: string) => {
    throw fleetError(FleetErrorCodes.INVALID, `invalid machine config: ${message}`);
  };
  if (!c || typeof c !== 'object') return fail('config must be an object');
  if (typeof c.image !== 'string' || c.image.trim() === '') fail('config.image is required');
  if (c.init?.cmd !== undefined && (!Array.isArray(c.init.cmd) || c.init.cmd.some((a) => typeof a !== 'string'))) fail('config.init.cmd must be a list of strings');
  if (c.metadata !== undefined && (typeof c.metadata !== 'object' || Object.values(c.metadata).some((v) => typeof v !== 'string'))) {
    fail('config.metadata values must be strings');
  }
  if (c.env !== undefined && (typeof c.env !== 'object' || Object.values(c.env).some((v) => typeof v !== 'string'))) fail('config.env values must be strings');
  if (c.mounts !== undefined) {
    if (!Array.isArray(c.mounts)) fail('config.mounts must be a list');
    if ((c.mounts as MachineMount[]).length > 1) fail('a machine has at most one mount');
    for (const m of c.mounts as MachineMount[]) if (typeof m?.path !== 'string' || !m.path.startsWith('/')) fail('config.mounts[].path must be an absolute path');
  }
  if (c.checks !== undefined && (typeof c.checks !== 'object' || Array.isArray(c.checks))) fail('config.checks must be an object of named checks');
  if (c.services !== undefined && !Array.isArray(c.services)) fail('config.services must be a list');
  for (const [path, value] of durationFields(c)) {
    if (value !== undefined && !isFlyDuration(value)) fail(`${path} must be a duration such as "10s" or "1m30s" (or integer nanoseconds); got ${JSON.stringify(value)}`);
  }
}

const GO_DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;

/** What fly-go's `Duration.ParseDuration` accepts: a Go duration string, or a number of nanoseconds. */
export function isFlyDuration(value: unknown): boolean {
  if (typeof value === 'string') return GO_DURATION.test(value);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function durationFields(c: Partial<MachineConfig>): [string, unknown][] {
  const fields: [string, unknown][] = [['config.stop_config.timeout', c.stop_config?.timeout]];
  const check = (path: string, k: Record<string, unknown> | undefined) => {
    for (const f of ['interval', 'timeout', 'grace_period']) fields.push([`${path}.${f}`, k?.[f]]);
  };
  if (c.checks && typeof c.checks === 'object') for (const [name, k] of Object.entries(c.checks)) check(`config.checks.${name}`, k as unknown as Record<string, unknown>);
  if (Array.isArray(c.services)) {
    c.services.forEach((svc, i) => (svc?.checks ?? []).forEach((k, j) => check(`config.services[${i}].checks[${j}]`, k as unknown as Record<string, unknown>)));
  }
  return fields;
}
