import { resolveStateKey } from '@hangar/contracts';

/** Where the audit key comes from: `HANGAR_AUDIT_KEY` (already decoded), else a development key in `stateDir`. */
export interface AuditKeySource {
  auditKey?: Buffer;
  stateDir: string;
  production: boolean;
}

/**
 * The audit key that keys the event hash chain (DESIGN G7): `HANGAR_AUDIT_KEY` (32 bytes, base64),
 * or in development a key generated once into `<stateDir>/audit-key` (mode 0600) and shared by every
 * process started from that directory. Production without one refuses to start. The key must not
 * live in the database: whoever holds it can forge the chain.
 */
export function resolveAuditKey(source: AuditKeySource): { key: Buffer; developmentFile?: string } {
  return resolveStateKey({ variable: 'HANGAR_AUDIT_KEY', value: source.auditKey, file: 'audit-key', stateDir: source.stateDir, production: source.production });
}
