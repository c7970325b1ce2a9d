import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvConfigError } from '@hangar/contracts';

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
  const dir = resolve(opts.stateDir);
  const file = join(dir, 'admin-token');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': of several processes starting at once, exactly one writes; the others read its token.
    writeFileSync(file, `${`hgr_${randomBytes(24).toString('base64url')}`}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  return { token: readToken(file), file };
}

function readToken(file: string): string {
  for (let attempt = 0; ; attempt++) {
    const token = readFileSync(file, 'utf8').trim();
    // Another process may have created the file and not written it yet.
    if (token || attempt >= 50) return token;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}
