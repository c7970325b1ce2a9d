import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvConfigError, parseBase64Key } from './service-env';

/** A credential that comes from an environment variable, or in development from a file in the state dir. */
export interface StateCredentialSource {
  /** The variable it comes from (named in errors), e.g. `HANGAR_ADMIN_TOKEN`. */
  variable: string;
  /** The variable's value, when set: used as is. */
  value?: string;
  /** Where development credentials live (`HANGAR_STATE_DIR`, default `.hangar`). */
  stateDir: string;
  /** NODE_ENV=production: the variable is required, nothing is generated. */
  production: boolean;
  /** The file's name inside `stateDir`, e.g. `admin-token`. */
  file: string;
  /** Makes a new credential (one line of text) when the file does not exist yet. */
  generate: () => string;
}

/**
 * The credential: the variable's value, or in development one generated once into
 * `<stateDir>/<file>` and reused by every process started from the same directory. Of several
 * processes starting at once exactly one writes (`wx`); the others read what it wrote. The directory
 * is kept at 0700 and the file at 0600 (looser modes are tightened), and a file or directory owned
 * by another user is refused, so no other local user can plant or read it. Production without the
 * variable refuses to start.
 */
export function resolveStateCredential(source: StateCredentialSource): { value: string; file?: string } {
  if (source.value) return { value: source.value };
  if (source.production) throw new EnvConfigError(source.variable, 'is required when NODE_ENV=production');
  const dir = resolve(source.stateDir);
  const file = join(dir, source.file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${source.generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  ownAndTighten(source.variable, dir, 0o700);
  ownAndTighten(source.variable, file, 0o600);
  const value = readWritten(file);
  if (!value) throw new EnvConfigError(source.variable, `the development credential file ${file} is empty`);
  return { value, file };
}

function ownAndTighten(variable: string, path: string, mode: number): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) throw new EnvConfigError(variable, `${path} is a symbolic link; remove it or set ${variable}`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new EnvConfigError(variable, `${path} belongs to another user (uid ${stat.uid}); remove it or set ${variable}`);
  if ((stat.mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

function readWritten(file: string): string {
  for (let attempt = 0; ; attempt++) {
    const value = readFileSync(file, 'utf8').trim();
    // Another process may have created the file and not written it yet.
    if (value || attempt >= 50) return value;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/**
 * The token of the machines API (fleet, or Fly's): `HANGAR_MACHINES_API_TOKEN`, or in development
 * one generated into `<stateDir>/machines-token`, which fleet requires and machine-updater sends.
 */
export function resolveMachinesApiToken(opts: { machinesApiToken?: string; stateDir: string; production: boolean }): string {
  return resolveStateCredential({
    variable: 'HANGAR_MACHINES_API_TOKEN',
    value: opts.machinesApiToken,
    stateDir: opts.stateDir,
    production: opts.production,
    file: 'machines-token',
    generate: () => `fleet_${randomBytes(24).toString('base64url')}`,
  }).value;
}

/**
 * A 32-byte key: `value` (the variable, already decoded), or in development one generated into
 * `<stateDir>/<file>` as base64 and reused (`resolveStateCredential`). `developmentFile` is set when
 * the generated key is in use.
 */
export function resolveStateKey(opts: { variable: string; value?: Buffer; file: string; stateDir: string; production: boolean }): { key: Buffer; developmentFile?: string } {
  if (opts.value) return { key: opts.value };
  const { value, file } = resolveStateCredential({ ...opts, value: undefined, generate: () => randomBytes(32).toString('base64') });
  const key = parseBase64Key({ [opts.variable]: value }, opts.variable);
  if (!key) throw new EnvConfigError(opts.variable, `the development key file ${file} is empty`);
  return { key, ...(file ? { developmentFile: file } : {}) };
}
