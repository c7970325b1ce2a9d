import { randomBytes } from 'node:crypto';
import { developmentSecret, EnvConfigError } from '@hangar/contracts';

/** Where the admin token comes from: `HANGAR_ADMIN_TOKEN`, else a generated development token in `stateDir`. */
export interface AdminTokenSource {
  adminToken?: string;
  stateDir: string;
  production: boolean;
}

/**
 * The admin token, which the services also use as their credential for NATS commands:
 * `HANGAR_ADMIN_TOKEN`, or in development a token generated once into `<stateDir>/admin-token`
 * (mode 0600) and reused by every process started from the same directory. Production without a
 * token refuses to start.
 */
export function resolveAdminToken(opts: AdminTokenSource): { token: string; file?: string } {
  if (opts.adminToken) return { token: opts.adminToken };
  if (opts.production) throw new EnvConfigError('HANGAR_ADMIN_TOKEN', 'is required when NODE_ENV=production');
  const { value, file } = developmentSecret(opts.stateDir, 'admin-token', () => `hgr_${randomBytes(24).toString('base64url')}`);
  return { token: value, file };
}
