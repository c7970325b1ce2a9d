import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './hangar-processes';

/** Debian's `docker-registry` (distribution 2.8.x), which `scripts/services.sh` installs. */
export const DOCKER_REGISTRY_BIN = '/usr/bin/docker-registry';

/** One `notifications.endpoints[]` entry of the registry's config. */
export interface RegistryNotificationsOptions {
  /** Where the registry POSTs `{"events":[…]}` envelopes. */
  readonly url: string;
  /** Static headers sent with every delivery, header → values (the registry's own shape). */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  /** Per-delivery HTTP timeout in ms. Default 2000. */
  readonly timeoutMs?: number;
  /** Failures before the registry backs off. Default 3. */
  readonly threshold?: number;
  /** Wait after `threshold` failures, in ms. Default 1000. */
  readonly backoffMs?: number;
  /** Target media types not sent. Default `['application/octet-stream']` (blob events). */
  readonly ignoredMediaTypes?: readonly string[];
  /** Actions not sent (`pull`, `push`, `delete`). Default none, so pulls arrive as on a real registry. */
  readonly ignoredActions?: readonly string[];
}

export interface RegistryProcessOptions {
  /**
   * Or a function of the registry's `host` (`127.0.0.1:<port>`), called once the port is chosen (again
   * if it was taken): a receiver is tied to its registry's host, so it can only be added then.
   */
  readonly notifications?: RegistryNotificationsOptions | ((host: string) => Promise<RegistryNotificationsOptions>);
  /** The registry's `log.level`. Default `info` (one line per request, and notification failures). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait for `GET /v2/` to answer, in ms. Default 15000. */
  readonly startTimeoutMs?: number;
  /** Default {@link DOCKER_REGISTRY_BIN}. */
  readonly binary?: string;
}

export interface RegistryProcess {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `127.0.0.1:<port>`: what `request.host` and image references carry. */
  readonly host: string;
  /** Kills the registry and deletes its config and storage. Safe to call twice. */
  stop(): Promise<void>;
  /** The most recent stdout/stderr of the registry (bounded), for diagnosing a failed test. */
  logs(): string;
}

const MAX_LOG_CHARS = 256 * 1024;
const PORT_ATTEMPTS = 3;

/**
 * Starts a private `docker-registry serve` on a free loopback port with no auth, filesystem storage in
 * a fresh temp dir and deletes enabled, so tests can configure notifications without touching the
 * shared registry on :5000. Resolves once `GET /v2/` answers.
 */
export async function startRegistryProcess(options: RegistryProcessOptions = {}): Promise<RegistryProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-registry-'));
  try {
    await mkdir(join(dir, 'data'));
    // freePort releases the port before the registry binds it, so another process can win the race.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const started = await tryStart(dir, port, options);
      if (started.ok) return started.registry;
      if (!started.portTaken || attempt === PORT_ATTEMPTS) throw new Error(started.error);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

type ResolvedOptions = RegistryProcessOptions & { readonly notifications?: RegistryNotificationsOptions };

type StartResult = { ok: true; registry: RegistryProcess } | { ok: false; portTaken: boolean; error: string };

async function tryStart(dir: string, port: number, given: RegistryProcessOptions): Promise<StartResult> {
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const notifications = typeof given.notifications === 'function' ? await given.notifications(host) : given.notifications;
  const options: ResolvedOptions = { ...given, notifications };
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, registryConfig(join(dir, 'data'), host, options));

  const log = new BoundedLog(MAX_LOG_CHARS, secretsOf(options));
  // Only PATH and HOME: the registry lets REGISTRY_* variables override any config key.
  const child = spawn(options.binary ?? DOCKER_REGISTRY_BIN, ['serve', configPath], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  // 'exit' can fire before the last stderr chunk is read; 'close' comes after the streams end.
  const outputRead = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));

  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let probeError = 'no answer yet';
  while (Date.now() < deadline) {
    if (spawnError || exited(child)) {
      await stopChild(child);
      await within(outputRead, 1000);
      const why = spawnError ? `could not spawn: ${spawnError.message}` : `exited with ${child.exitCode ?? child.signalCode}`;
      return { ok: false, portTaken: /address already in use/i.test(log.text()), error: `docker-registry on ${host} ${why}\n${log.text()}` };
    }
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return { ok: true, registry: handle(child, dir, url, host, log) };
      probeError = `GET /v2/ answered ${response.status}`;
    } catch (error) {
      probeError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopChild(child);
  return { ok: false, portTaken: false, error: `docker-registry on ${host} not ready within ${timeoutMs}ms (${probeError})\n${log.text()}` };
}

function handle(child: ChildProcess, dir: string, url: string, host: string, log: BoundedLog): RegistryProcess {
  let stopping: Promise<void> | undefined;
  return {
    url,
    host,
    logs: () => log.text(),
    stop: () => (stopping ??= stopChild(child).then(() => rm(dir, { recursive: true, force: true }))),
  };
}

/** Waits for `promise`, but no longer than `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after 5 s: the registry drains in-flight requests on SIGTERM. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

/**
 * The registry's YAML config. Every scalar is written as a JSON string, which is a valid YAML
 * double-quoted scalar, so URLs and header values need no further escaping.
 */
function registryConfig(dataDir: string, addr: string, options: ResolvedOptions = {}): string {
  const q = (value: string): string => JSON.stringify(value);
  const lines = [
    'version: 0.1',
    'log:',
    `  level: ${options.logLevel ?? 'info'}`,
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(dataDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${q(addr)}`,
    `  secret: ${q(randomBytes(16).toString('hex'))}`,
  ];
  const n = options.notifications;
  if (n) {
    lines.push(
      'notifications:',
      '  endpoints:',
      '    - name: "hangar-test"',
      `      url: ${q(n.url)}`,
      `      timeout: ${q(`${n.timeoutMs ?? 2000}ms`)}`,
      `      threshold: ${n.threshold ?? 3}`,
      `      backoff: ${q(`${n.backoffMs ?? 1000}ms`)}`,
      `      ignoredmediatypes: [${(n.ignoredMediaTypes ?? ['application/octet-stream']).map(q).join(', ')}]`,
    );
    if (n.ignoredActions?.length) lines.push('      ignore:', `        actions: [${n.ignoredActions.map(q).join(', ')}]`);
    const headers = Object.entries(n.headers ?? {});
    if (headers.length > 0) {
      lines.push('      headers:');
      for (const [name, values] of headers) lines.push(`        ${q(name)}: [${values.map(q).join(', ')}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The registry logs each endpoint's URL and headers at startup (`configuring endpoint … headers=map[…]`),
 * so the receiver token or `Authorization` value would reach test output through `logs()`.
 */
function secretsOf(options: ResolvedOptions): string[] {
  const n = options.notifications;
  if (!n) return [];
  // The whole query as written (`token=…`): masking short values one by one would also mask their names.
  const query = n.url.includes('?') ? n.url.slice(n.url.indexOf('?') + 1).split('#')[0]! : '';
  return [...Object.values(n.headers ?? {}).flat(), query].filter((value) => value.length > 0);
}

/** Keeps the last `max` characters of output (secrets masked), marking that older output was dropped. */
class BoundedLog {
  private chunks: string[] = [];
  private size = 0;
  private dropped = false;

  constructor(
    private readonly max: number,
    private readonly secrets: readonly string[],
  ) {}

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
    if (this.size > this.max) {
      this.chunks[0] = this.chunks[0]!.slice(this.size - this.max);
      this.size = this.max;
      this.dropped = true;
    }
  }

  text(): string {
    let text = (this.dropped ? '[earlier output dropped]\n' : '') + this.chunks.join('');
    for (const secret of this.secrets) text = text.split(secret).join('[redacted]');
    return text;
  }
}
