import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const CONF_RELATIVE = join('deploy', 'podman', 'containers.conf');

/** The project's containers.conf: found above this file, whether it runs from the sources or from dist/. */
function findContainersConf(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, CONF_RELATIVE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${CONF_RELATIVE} not found above ${__dirname}`);
  }
}

/**
 * The environment podman runs with here: `CONTAINERS_CONF` names the project's
 * `deploy/podman/containers.conf` (runc, cgroupfs, no default ulimits, file events), never /etc.
 */
export const PODMAN_ENV: Readonly<Record<string, string>> = { CONTAINERS_CONF: findContainersConf() };

/** What one `podman` command did. */
export interface PodmanResult {
  /** The exit code; -1 when podman could not be started or was killed by the timeout. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `podman <args>` with `PODMAN_ENV`; never rejects. `timeoutMs` defaults to 60 000. */
export function runPodman(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<PodmanResult> {
  return new Promise((resolve) => {
    execFile(
      'podman',
      [...args],
      { env: { ...process.env, ...PODMAN_ENV }, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr: error !== null && code === -1 ? `${stderr}${error.message}` : stderr });
      },
    );
  });
}

/** Whether `podman info` succeeds with `PODMAN_ENV` within 20 s (false when podman is not installed). */
export async function podmanAvailable(): Promise<boolean> {
  return (await runPodman(['info', '--format', '{{.Host.OCIRuntime.Name}}'], { timeoutMs: 20_000 })).code === 0;
}
