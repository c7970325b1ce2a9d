import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A podman command that failed: its arguments (never its environment) and what it printed. */
export class PodmanError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: PodmanResult,
  ) {
    super(`podman ${args[0]} failed (exit ${result.code}): ${lastLine(result.stderr) || lastLine(result.stdout) || 'no output'}`);
    this.name = 'PodmanError';
  }
}

/** A container as `podman ps -a --format json` lists it (the fields fleet reads). */
export interface PodmanContainer {
  Id: string;
  Names: string[];
  State: string;
  ExitCode: number;
  Labels: Record<string, string> | null;
  Ports: { host_ip: string; container_port: number; host_port: number; protocol: string }[] | null;
  StartedAt: number;
  ExitedAt: number;
}

/**
 * The podman CLI with the project's containers.conf (`CONTAINERS_CONF`): runc, cgroupfs, no default
 * ulimits (crun and rlimits do not work on this kind of VM). Every call has a timeout.
 */
export class PodmanCli {
  constructor(
    private readonly containersConf: string,
    /** PATH and HOME podman runs with (fleet's own, from fleet.config.ts). */
    private readonly baseEnv: { PATH: string; HOME: string } = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root' },
    private readonly bin = 'podman',
  ) {}

  run(args: readonly string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<PodmanResult> {
    const env = this.env(opts.env);
    return new Promise((resolve) => {
      execFile(this.bin, [...args], { env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) || (error && code !== 0 && !stderr ? error.message : '') });
      });
    });
  }

  /** A long-running podman command (`logs --follow`) whose output the caller reads as it comes; the caller kills it. */
  spawn(args: readonly string[]): ChildProcessWithoutNullStreams {
    return spawn(this.bin, [...args], { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] });
  }

  private env(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.baseEnv, CONTAINERS_CONF: this.containersConf, ...extra };
  }

  /** Runs and throws `PodmanError` unless it exits 0. */
  async ok(args: readonly string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<string> {
    const result = await this.run(args, opts);
    if (result.code !== 0) throw new PodmanError(args, result);
    return result.stdout;
  }

  /** Every container carrying `label=value`, running or not. */
  async containers(label: string, value: string): Promise<PodmanContainer[]> {
    const out = await this.ok(['ps', '-a', '--filter', `label=${label}=${value}`, '--format', 'json'], { timeoutMs: 30_000 });
    return out.trim() ? (JSON.parse(out) as PodmanContainer[]) : [];
  }

  async available(): Promise<boolean> {
    return (await this.run(['info', '--format', '{{.Host.OCIRuntime.Name}}'], { timeoutMs: 30_000 })).code === 0;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop()?.replace(/^(Error|time="[^"]*" level=\w+ msg=)\s*:?\s*/, '').slice(0, 500) ?? '';
}
