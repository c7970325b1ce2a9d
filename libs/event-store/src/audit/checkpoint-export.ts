import { createHmac, timingSafeEqual } from 'node:crypto';
import { HangarError } from '@hangar/contracts';
import { canonicalJson } from '../event-hash';
import type { StreamHead } from './checkpoint-digest';

/** The `format` of an exported checkpoint file. */
export const CHECKPOINT_EXPORT_FORMAT = 'hangar-audit-checkpoint/1';

/** Domain separation for the file's MAC (the audit key also keys event hashes). */
const EXPORT_MAC_CONTEXT = 'hangar-audit-checkpoint-export-v1';

/**
 * An exported checkpoint (`hangar audit checkpoint --export FILE`), to keep where the database
 * writer cannot reach. `heads` holds every stream's latest committed head as of checkpoint
 * `sequence`, plus the `audit-checkpoints` stream's own head (position `sequence`, the hash of that
 * checkpoint event), so deleting checkpoints is detected too. `mac` is hex HMAC-SHA256 with the audit
 * key over the canonical JSON of the other fields: a file edited by someone without the key fails.
 */
export interface CheckpointExport {
  format: typeof CHECKPOINT_EXPORT_FORMAT;
  sequence: number;
  /** ISO 8601 time the checkpoint was recorded. */
  recordedAt: string;
  /** The checkpoint's digest (`digestOf` the committed heads). */
  digest: string;
  heads: StreamHead[];
  mac: string;
}

/** Builds the export document and its MAC. */
export function sealCheckpointExport(key: Buffer, body: Omit<CheckpointExport, 'format' | 'mac'>): CheckpointExport {
  const unsealed = { format: CHECKPOINT_EXPORT_FORMAT as typeof CHECKPOINT_EXPORT_FORMAT, sequence: body.sequence, recordedAt: body.recordedAt, digest: body.digest, heads: body.heads };
  return { ...unsealed, mac: exportMac(key, unsealed) };
}

/** Whether the document's MAC is the one the audit key gives. */
export function checkpointExportMacValid(key: Buffer, doc: CheckpointExport): boolean {
  const { mac, ...unsealed } = doc;
  const expected = Buffer.from(exportMac(key, unsealed), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function exportMac(key: Buffer, unsealed: Omit<CheckpointExport, 'mac'>): string {
  return createHmac('sha256', key).update(EXPORT_MAC_CONTEXT).update('\n').update(canonicalJson(unsealed)).digest('hex');
}

/**
 * Checks the shape of an exported checkpoint (untrusted input); throws `AUDIT.INVALID_EXPORT`
 * naming the first problem. The MAC is checked by the verifier, which reports a bad one as tampering.
 */
export function parseCheckpointExport(value: unknown): CheckpointExport {
  const fail = (why: string): never => {
    throw new HangarError('AUDIT.INVALID_EXPORT', `not an exported checkpoint (${CHECKPOINT_EXPORT_FORMAT}): ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected a JSON object');
  const d = value as Record<string, unknown>;
  if (d.format !== CHECKPOINT_EXPORT_FORMAT) fail(`format must be "${CHECKPOINT_EXPORT_FORMAT}"`);
  if (!Number.isSafeInteger(d.sequence) || (d.sequence as number) < 1) fail('sequence must be a positive integer');
  if (typeof d.recordedAt !== 'string' || typeof d.digest !== 'string' || typeof d.mac !== 'string') fail('recordedAt, digest and mac must be strings');
  if (!Array.isArray(d.heads)) return fail('heads must be an array');
  const heads = d.heads.map((h: unknown, i): StreamHead => {
    const head = h as Partial<StreamHead> | null;
    if (typeof head?.streamId !== 'string' || !Number.isSafeInteger(head.position) || (head.position as number) < 1 || typeof head.head !== 'string') {
      return fail(`heads[${i}] must be { streamId, position (positive integer), head }`);
    }
    return { streamId: head.streamId, position: head.position as number, head: head.head };
  });
  return { format: CHECKPOINT_EXPORT_FORMAT, sequence: d.sequence as number, recordedAt: d.recordedAt as string, digest: d.digest as string, heads, mac: d.mac as string };
}
