import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A development secret kept in `<stateDir>/<name>` (directory mode 0700, file mode 0600): generated
 * once and reused by every process started from the same directory. Of several processes starting at
 * once exactly one writes it (`wx`); the others read what it wrote. Only for development: production
 * takes every secret from the environment.
 */
export function developmentSecret(stateDir: string, name: string, generate: () => string): { value: string; file: string } {
  const dir = resolve(stateDir);
  const file = join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  return { value: readWritten(file), file };
}

function readWritten(file: string): string {
  for (let attempt = 0; ; attempt++) {
    const value = readFileSync(file, 'utf8').trim();
    // Another process may have created the file and not written it yet.
    if (value || attempt >= 50) return value;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}
