import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoImage, pushDemoImages, type PushedDemoImage } from './demo-image';
import { deleteImage, TEST_REGISTRY_URL } from './oci-push';
import { podmanAvailable, runPodman, type PodmanResult } from './podman';
import { uniqueSuffix } from './test-database';

jest.setTimeout(30_000);

const suffix = uniqueSuffix();
const repo = `hangar-demo-it-${suffix}`;
const containers: string[] = [];
let images: Record<string, PushedDemoImage> = {};
let dataDir = '';

function containerName(what: string): string {
  const name = `hangar-demo-it-${suffix}-${what}`;
  containers.push(name);
  return name;
}

async function podmanOk(args: readonly string[]): Promise<PodmanResult> {
  const result = await runPodman(args);
  if (result.code !== 0) throw new Error(`podman ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** Probes until `probe` resolves to a value; past `timeoutMs` throws with the container's log. */
async function until<T>(name: string, what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const logs = await runPodman(['logs', name]);
      throw new Error(`timed out waiting for ${what} of ${name}\n${logs.stdout}${logs.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `podman run -d` with the container port published on a loopback port podman picks; resolves to that host port. */
async function runDetached(name: string, image: string, runArgs: readonly string[], containerPort = 8080): Promise<number> {
  await podmanOk(['run', '-d', '--name', name, '-p', `127.0.0.1::${containerPort}`, ...runArgs, image]);
  const port = (await podmanOk(['port', name, `${containerPort}/tcp`])).stdout.trim();
  const match = /^127\.0\.0\.1:(\d+)$/.exec(port);
  if (!match) throw new Error(`podman port ${name}: unexpected '${port}'`);
  return Number(match[1]);
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
  return { status: response.status, body: await response.text() };
}

async function inspect(name: string, format: string): Promise<string> {
  return (await podmanOk(['inspect', '--format', format, name])).stdout.trim();
}

/** Connects and resolves to how the attempt ended: `connected`, or the error's code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2_000, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** `podman stop -t 5`, resolving to how long it took in ms. */
async function timedStop(name: string): Promise<number> {
  const started = Date.now();
  await podmanOk(['stop', '-t', '5', name]);
  return Date.now() - started;
}

describe(buildDemoImage.name, () => {
  beforeAll(async () => {
    expect(await podmanAvailable()).toBe(true);
    images = await pushDemoImages(repo, {
      ok: { variant: 'ok', label: 'v1' },
      exits: { variant: 'exits' },
      'never-listens': { variant: 'never-listens' },
      unhealthy: { variant: 'unhealthy', label: "bad's $PATH" },
    });
    for (const image of Object.values(images)) await podmanOk(['pull', '--quiet', '--tls-verify=false', image.reference]);
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-demo-it-'));
  });

  afterAll(async () => {
    if (containers.length > 0) await runPodman(['rm', '--ignore', '-f', '-t', '0', ...containers]);
    const references = Object.values(images).map((image) => image.reference);
    if (references.length > 0) await runPodman(['rmi', '--ignore', '-f', ...references]);
    for (const image of Object.values(images)) await deleteImage(TEST_REGISTRY_URL, repo, image.digest);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('ok serves its environment on / and 200 on /health, with /data mounted, and stops on SIGTERM at once with exit 0', async () => {
    const name = containerName('ok');
    const env = { FLY_MACHINE_VERSION: '01J0V1', HANGAR_RELEASE_VERSION: '7', FLY_MACHINE_ID: 'e784079b', GREETING: 'hello there' };
    const port = await runDetached(name, images.ok!.reference, [
      ...Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
      '-v',
      `${dataDir}:/data`,
    ]);

    const page = await until(name, 'GET /', () => get(port, '/'));
    expect(page).toEqual({ status: 200, body: 'version=01J0V1 release=7 machine=e784079b greeting=hello there label=v1\n' });
    expect(await get(port, '/health')).toEqual({ status: 200, body: 'ok\n' });

    // The run script traps TERM and exits 0 itself, so podman never has to fall back to SIGKILL (137).
    expect(await timedStop(name)).toBeLessThan(2_500);
    expect(await inspect(name, '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 0');
  });

  it('exits prints to stderr and exits with code 3 at once', async () => {
    const name = containerName('exits');
    const result = await runPodman(['run', '--name', name, images.exits!.reference]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('demo: variant exits, exiting with code 3');
    expect(await inspect(name, '{{.State.ExitCode}}')).toBe('3');
  });

  it('never-listens keeps running while its port refuses connections, and stops on SIGTERM at once', async () => {
    const name = containerName('never-listens');
    const port = await runDetached(name, images['never-listens']!.reference, []);
    await until(name, 'its start line', async () => ((await runPodman(['logs', name])).stdout.includes('listening on nothing') ? true : undefined));

    // conmon holds the host port (it shows as LISTEN), but the forwarded connection finds no listener.
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(await inspect(name, '{{.State.Status}}')).toBe('running');

    expect(await timedStop(name)).toBeLessThan(2_500);
    expect(await inspect(name, '{{.State.ExitCode}}')).toBe('0');
  });

  it('unhealthy serves / (on $PORT, environment unset, label taken literally) but answers 404 on /health', async () => {
    const name = containerName('unhealthy');
    const port = await runDetached(name, images.unhealthy!.reference, ['-e', 'PORT=9090'], 9090);

    const page = await until(name, 'GET /', () => get(port, '/'));
    expect(page).toEqual({ status: 200, body: "version= release= machine= greeting= label=bad's $PATH\n" });
    expect((await get(port, '/health')).status).toBe(404);
  });

  it('runs a command given as arguments instead of serving: its exit code, its output in podman logs', async () => {
    const name = containerName('one-shot');
    const result = await runPodman(['run', '--name', name, '-e', 'RELEASE_COMMAND=1', images.ok!.reference, '/bin/busybox', 'sh', '-c', 'echo "migrating $RELEASE_COMMAND"; exit 4']);
    expect(result.code).toBe(4);
    const logs = await podmanOk(['logs', name]);
    expect(logs.stdout).toBe('migrating 1\n');
  });
});
