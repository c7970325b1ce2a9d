import type { MachineOperationKind, MachineUpdateRequestedData } from '@hangar/contracts';

/** `deploy --lease-timeout` bounds, as the releaser checks them (a lease shorter than 2 s cannot be refreshed). */
const MIN_LEASE_MS = 2000;
const MAX_LEASE_MS = 24 * 3600 * 1000;
const KINDS: readonly MachineOperationKind[] = ['update', 'create', 'destroy', 'replace', 'cordon', 'uncordon', 'stop', 'release-command'];

/** Checks the shape of a `MachineUpdateRequested` payload from the feed; a bad one is rejected, not retried. */
export function parseOperationRequest(data: unknown): { ok: true; request: MachineUpdateRequestedData } | { ok: false; reason: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, reason: 'payload is not an object' };
  const d = data as Partial<MachineUpdateRequestedData>;
  const missing = (['app', 'key', 'kind', 'releaseId', 'processGroup'] as const).filter((k) => typeof d[k] !== 'string');
  if (missing.length) return { ok: false, reason: `missing or non-string field(s): ${missing.join(', ')}` };
  // No region: the platform chooses one (a first deploy without primary_region).
  if (d.region !== undefined && typeof d.region !== 'string') return { ok: false, reason: 'region must be a string when present' };
  if (!KINDS.includes(d.kind as MachineOperationKind)) return { ok: false, reason: `kind must be one of ${KINDS.join(', ')}; got ${String(d.kind)}` };
  const makesMachine = d.kind === 'create' || d.kind === 'release-command';
  if (!makesMachine && typeof d.machineId !== 'string') return { ok: false, reason: `machineId is required for ${d.kind}` };
  if ((makesMachine || d.kind === 'update' || d.kind === 'replace') && (typeof d.config !== 'object' || d.config === null || typeof d.config.image !== 'string')) {
    return { ok: false, reason: 'config with an image is required' };
  }
  if (typeof d.waitTimeoutMs !== 'number' || d.waitTimeoutMs <= 0) return { ok: false, reason: 'waitTimeoutMs must be a positive number' };
  if (d.secretsVersion !== undefined && !(Number.isInteger(d.secretsVersion) && d.secretsVersion > 0)) return { ok: false, reason: 'secretsVersion must be a positive integer' };
  if (d.leaseTimeoutMs !== undefined && !(typeof d.leaseTimeoutMs === 'number' && d.leaseTimeoutMs >= MIN_LEASE_MS && d.leaseTimeoutMs <= MAX_LEASE_MS)) {
    return { ok: false, reason: 'leaseTimeoutMs must be a number of ms between 2 s and 24 h' };
  }
  return { ok: true, request: d as MachineUpdateRequestedData };
}
