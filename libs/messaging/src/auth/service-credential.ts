import { randomBytes } from 'node:crypto';
import { resolveStateCredential } from '@hangar/contracts';

/** Where the admin token comes from: `HANGAR_ADMIN_TOKEN`, else a generated development token in `stateDir`. */
export interface AdminTokenSource {
  adminToken?: string;
  stateDir: string;
  production: boolean;
}

/**
 * The admin token, which the services also use as their credential for NATS commands:
 * `HANGAR_ADMIN_TOKEN`, or in development a token generated once into `<stateDir>/admin-token`
 * (mode 0600) and reused by every process started from the same directory (`resolveStateCredential`).
 * Production without a token refuses to start.
 */
export function resolveAdminToken(opts: AdminTokenSource): { token: string; file?: string } {
  const { value, file } = resolveStateCredential({
    variable: 'HANGAR_ADMIN_TOKEN',
    value: opts.adminToken,
    stateDir: opts.stateDir,
    production: opts.production,
    file: 'admin-token',
    generate: () => `hgr_${randomBytes(24).toString('base64url')}`,
  });
  return { token: value, ...(file ? { file } : {}) };
}
