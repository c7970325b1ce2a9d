import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvConfigError } from '@hangar/contracts';

/**
 * The admin token: `HANGAR_ADMIN_TOKEN`, or in development a token generated once into
 * `<stateDir>/admin-token` (mode 0600) and reused. Production without a token refuses to start.
 */
export function resolveAdminToken(opts: { adminToken?: string; stateDir: string; production: boolean }): { token: string; file?: string } {
  if (opts.adminToken) return { token: opts.adminToken };
  if (opts.production) throw new EnvConfigError('HANGAR_ADMIN_TOKEN', 'is required when NODE_ENV=production');
  const dir = resolve(opts.stateDir);
  const file = join(dir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const token = `hgr_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file };
}
