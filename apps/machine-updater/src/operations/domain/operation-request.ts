import type { MachineUpdateRequestedData } from '@hangar/contracts';

/** Checks the shape of a `MachineUpdateRequested` payload from the feed; a bad one is rejected, not retried. */
export function parseOperationRequest(data: unknown): { ok: true; request: MachineUpdateRequestedData } | { ok: false; reason: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, reason: 'payload is not an object' };
  const d = data as Partial<MachineUpdateRequestedData>;
  const missing = (['app', 'key', 'kind', 'releaseId', 'processGroup', 'region'] as const).filter((k) => typeof d[k] !== 'string');
  if (missing.length) return { ok: false, reason: `missing or non-string field(s): ${missing.join(', ')}` };
  if (d.kind !== 'update' && d.kind !== 'create' && d.kind !== 'destroy') return { ok: false, reason: `kind must be update, create or destroy; got ${String(d.kind)}` };
  if (d.kind !== 'create' && typeof d.machineId !== 'string') return { ok: false, reason: `machineId is required for ${d.kind}` };
  if (d.kind !== 'destroy' && (typeof d.config !== 'object' || d.config === null || typeof d.config.image !== 'string')) {
    return { ok: false, reason: 'config with an image is required' };
  }
  if (typeof d.waitTimeoutMs !== 'number' || d.waitTimeoutMs <= 0) return { ok: false, reason: 'waitTimeoutMs must be a positive number' };
  return { ok: true, request: d as MachineUpdateRequestedData };
}
