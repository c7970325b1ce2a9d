import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fleetIdOf } from '@hangar/contracts';
import { freePort } from './free-port';
import { runPodman } from './podman';
import { TestNatsServer } from './test-nats-server';

export { freePort };

/** The repository root (libs/testing/src → ../../..), for `dist/` paths in ts and in dist alike. */
const ROOT = join(__dirname, '..', '..', '..').replace(/[\\/]dist$/, '');

export type HangarService = 'fleet' | 'releaser' | 'builder' | 'machine-updater' | 'secrets' | 'gateway';
export const ALL_SERVICES: readonly HangarService[] = ['fleet', 'releaser', 'builder', 'machine-updater', 'secrets', 'gateway'];

export interface HangarProcessesOptions {
  databaseUrl: string;
  namespace: string;
  adminToken?: string;
  fleetBootMs?: number;
  extraEnv?: Record<string, string>;
  /**
   * NATS: by default a nats-server of this instance's own, with authentication as `hangar nats init`
   * writes it (publishers and feed readers as named here); `{ url, insecure: true }` runs the
   * services on an unauthenticated server instead (the chaos runner's proxy).
   */
  nats?: { publishers?: readonly string[]; feedReaders?: readonly string[] } | { url: string; insecure: true };
  /** Give every service but fleet an ops port of its own (`HANGAR_OPS_PORT`), reached with `opsUrl(service)`. */
  opsPorts?: boolean;
}

/**
 * Hangar's services and fleet as separate OS processes (`node dist/apps/<name>/main.js`), each
 * killable and restartable, for end-to-end and chaos tests. Requires `npm run build` first.
 */
export class HangarProcesses {
  readonly adminToken: string;
  /** Fleet's token (`HANGAR_MACHINES_API_TOKEN`): fleet answers nothing without it. */
  readonly fleetToken: string;
  private readonly procs = new Map<HangarService, ChildProcess>();
  private readonly logs = new Map<HangarService, string[]>();
  private env: Record<string, string> = {};
  private readonly opsUrls = new Map<HangarService, string>();
  apiUrl = '';
  fleetUrl = '';
  /** fleet's edge proxy (podman runtime only): requests with `Host: <app>.localhost` reach the app. */
  edgeUrl = '';
  /** This instance's own authenticated NATS server (unless started with `nats: { url, insecure }`). */
  natsServer?: TestNatsServer;
  /** The `HANGAR_AUDIT_KEY` every service of this instance is started with (tests that forge hashes need it). */
  readonly auditKey = randomBytes(32);

  constructor(private readonly opts: HangarProcessesOptions) {
    this.adminToken = opts.adminToken ?? `test-admin-token-${opts.namespace}-0123456789`;
    this.fleetToken = `test-fleet-token-${randomBytes(12).toString('hex')}`;
  }

  async start(services: readonly HangarService[] = ALL_SERVICES): Promise<void> {
    const [httpPort, fleetPort, edgePort] = await Promise.all([freePort(), freePort(), freePort()]);
    this.edgeUrl = `http://127.0.0.1:${edgePort}`;
    const nats = this.opts.nats;
    if (!nats || !('url' in nats)) this.natsServer ??= await TestNatsServer.start({ namespace: this.opts.namespace, ...(nats ?? {}) });
    const natsEnv: Record<string, string> = this.natsServer
      ? { NATS_URL: this.natsServer.url, HANGAR_NATS_CREDENTIALS: this.natsServer.credentialsDir }
      : { NATS_URL: (nats as { url: string }).url, HANGAR_NATS_INSECURE: '1' };
    this.apiUrl = `http://127.0.0.1:${httpPort}`;
    this.fleetUrl = `http://127.0.0.1:${fleetPort}`;
    this.env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: this.opts.databaseUrl,
      ...natsEnv,
      HANGAR_NAMESPACE: this.opts.namespace,
      HANGAR_HTTP_PORT: String(httpPort),
      HANGAR_FLEET_PORT: String(fleetPort),
      HANGAR_EDGE_PORT: String(edgePort),
      HANGAR_MACHINES_API_URL: this.fleetUrl,
      HANGAR_FLEET_BOOT_MS: String(this.opts.fleetBootMs ?? 50),
      HANGAR_ADMIN_TOKEN: this.adminToken,
      HANGAR_MACHINES_API_TOKEN: this.fleetToken,
      // Tests inject faults through fleet's admin API, which is off unless asked for.
      HANGAR_FLEET_FAULTS: '1',
      // A fresh key-encryption key per instance, so no test writes a development key into the repository.
      HANGAR_SECRETS_KEY: randomBytes(32).toString('base64'),
      // One audit key for every service of this run (each appends events), never a development key file.
      HANGAR_AUDIT_KEY: this.auditKey.toString('base64'),
      ...(this.opts.extraEnv ?? {}),
    };
    // fleet first and alone: it creates the database's fleet schema; the rest migrate under a lock.
    if (services.includes('fleet')) await this.startOne('fleet');
    await Promise.all(services.filter((s) => s !== 'fleet').map((s) => this.startOne(s)));
  }

  /** Starts one service; `opts.env` overrides variables for this start only (e.g. a new `HANGAR_SECRETS_KEY`). */
  async startOne(service: HangarService, opts: { env?: Record<string, string> } = {}): Promise<void> {
    const ops: Record<string, string> = {};
    if (this.opts.opsPorts && service !== 'fleet') {
      const port = await freePort();
      ops.HANGAR_OPS_PORT = String(port);
      this.opsUrls.set(service, `http://127.0.0.1:${port}`);
    }
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', service, 'main.js')], { env: { ...this.env, ...ops, ...(opts.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = this.logs.get(service) ?? [];
    this.logs.set(service, log);
    const printedBefore = log.length;
    const collect = (chunk: Buffer) => log.push(chunk.toString());
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.procs.set(service, child);
    await this.waitReady(service, child, printedBefore);
  }

  /** Where a service serves /healthz, /readyz and /metrics (started with `opsPorts`). */
  opsUrl(service: HangarService): string {
    const url = this.opsUrls.get(service);
    if (!url) throw new Error(`${service} has no ops port: start HangarProcesses with opsPorts`);
    return url;
  }

  /** The OS pid of a running service (chaos tests map Postgres sessions to processes with it). */
  pid(service: HangarService): number | undefined {
    const child = this.procs.get(service);
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** SIGKILLs one service (chaos) or stops it gracefully. */
  async stopOne(service: HangarService, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.procs.get(service);
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.procs.delete(service);
  }

  async stop(): Promise<void> {
    for (const s of [...this.procs.keys()].reverse()) await this.stopOne(s);
    await this.natsServer?.stop();
    this.natsServer = undefined;
    if (this.env.HANGAR_FLEET_RUNTIME === 'podman') await this.removeContainers();
  }

  /** Real machines outlive fleet (a restarted one adopts them): an instance that is done removes its containers and volumes. */
  private async removeContainers(): Promise<void> {
    const label = `label=hangar.fleet=${fleetIdOf(this.opts.databaseUrl)}`;
    const containers = await runPodman(['ps', '-a', '--filter', label, '--format', '{{.ID}}']);
    for (const id of containers.stdout.trim().split('\n').filter(Boolean)) await runPodman(['rm', '-f', '-t', '0', id]);
    const volumes = await runPodman(['volume', 'ls', '--filter', label, '--format', '{{.Name}}']);
    for (const name of volumes.stdout.trim().split('\n').filter(Boolean)) await runPodman(['volume', 'rm', '-f', name]);
  }

  /** Connects to this instance's NATS as `identity` (a service, publisher or feed reader), or anonymously with `undefined`. */
  natsConnect(identity: string | undefined): ReturnType<TestNatsServer['connect']> {
    if (!this.natsServer) throw new Error('this instance runs on an unauthenticated NATS: connect to it directly');
    return this.natsServer.connect(identity);
  }

  /** Everything a service printed, for diagnosing a failed test (and for leak checks). */
  output(service?: HangarService): string {
    if (service) return (this.logs.get(service) ?? []).join('');
    return [...this.logs.entries()].map(([s, l]) => `--- ${s}\n${l.join('')}`).join('\n');
  }

  /** Runs the `hangar` CLI against these services. */
  async cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
    return runCli(args, {
      cwd: opts.cwd,
      input: opts.input,
      env: { PATH: this.env.PATH ?? '', HOME: this.env.HOME ?? '/root', HANGAR_API_URL: this.apiUrl, HANGAR_API_TOKEN: this.adminToken, ...(opts.env ?? {}) },
      timeoutMs: opts.timeoutMs,
    });
  }

  /** `printedBefore`: chunks of output from earlier runs of the service, which do not count as ready. */
  private async waitReady(service: HangarService, child: ChildProcess, printedBefore: number): Promise<void> {
    const deadline = Date.now() + 30000;
    const probe = service === 'gateway' ? `${this.apiUrl}/readyz` : service === 'fleet' ? `${this.fleetUrl}/healthz` : undefined;
    const marker = 'service ready';
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${service} exited with ${child.exitCode}:\n${this.output(service)}`);
      if (probe) {
        const ok = await fetch(probe).then((r) => r.ok, () => false);
        if (ok) return;
      } else if ((this.logs.get(service) ?? []).slice(printedBefore).join('').includes(marker)) {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${service} not ready within 30s:\n${this.output(service)}`);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/apps/cli/main.js …` and collects its output and exit code. */
export function runCli(args: string[], opts: { cwd?: string; env: Record<string, string>; timeoutMs?: number; input?: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const stdin = opts.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'cli', 'main.js'), ...args], { cwd: opts.cwd, env: opts.env, stdio: [stdin, 'pipe', 'pipe'] });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hangar ${args.join(' ')} timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 120000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
