/**
 * One line an app's machine printed, as fleet serves it, the gateway relays it (`GET /v1/apps/:app/logs`)
 * and `hangar logs --json` prints it (one per line).
 */
export interface AppLogLine {
  /** When the line was written: RFC 3339 in UTC, with podman's nanoseconds when the runtime has them. */
  timestamp: string;
  machineId: string;
  /** The machine instance (container) that printed it. */
  instanceId: string;
  region: string;
  /** The machine's `fly_process_group` (`app` when it has none). */
  processGroup: string;
  stream: 'stdout' | 'stderr';
  /** The line without its newline. Hangar adds nothing to it. */
  message: string;
}

/** A Fly machine id: 14 lowercase hex characters. */
export const MACHINE_ID_PATTERN = /^[0-9a-f]{14}$/;
