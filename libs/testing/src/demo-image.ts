import { readFileSync } from 'node:fs';
import { assembleImage, tarLayer, writeTarEntries, type OciImage, type OciLayer, type TarEntry } from './oci-image';
import { pushImage, TEST_REGISTRY_HOST, TEST_REGISTRY_URL } from './oci-push';

/**
 * What the demo image does when run without a command:
 * - `ok`: serves on `$PORT` (default 8080) `/` with one line naming its environment and label, and `/health` with `ok`;
 * - `exits`: prints a line to stderr and exits with code 3 at once;
 * - `never-listens`: runs until stopped, listening on nothing;
 * - `unhealthy`: like `ok`, but `/health` answers 404.
 */
export type DemoImageVariant = 'ok' | 'exits' | 'never-listens' | 'unhealthy';

export interface DemoImageOptions {
  /** Baked into the page (`label=…`), the script and the config's labels, so two labels give two digests. Default empty. */
  readonly label?: string;
}

/** Debian's `busybox-static`: one statically linked binary, so the image needs nothing else. */
export const BUSYBOX_STATIC_BIN = '/usr/bin/busybox';

/** The port the serving variants listen on unless `$PORT` says otherwise. */
export const DEMO_IMAGE_PORT = 8080;

/** Where the run script lives in the image; the config's `Cmd` is `/bin/busybox sh` on it. */
const RUN_SCRIPT = 'demo/run.sh';

/** Applets linked under /bin, so a one-shot `sh -c '…'` finds the usual commands on `PATH=/bin`. */
const APPLETS = [
  'sh', 'ash', 'httpd', 'sleep', 'cat', 'echo', 'printf', 'mkdir', 'rm', 'ls', 'kill', 'env', 'wget', 'nc', 'true',
  'false', 'test', '[', 'id', 'ps', 'sed', 'grep', 'head', 'tail', 'touch', 'date', 'hostname', 'uname',
] as const;

let baseLayer: OciLayer | undefined;

/**
 * A small real linux/amd64 OCI image (two layers: busybox with its applet links, then the run script)
 * whose `Cmd` runs the `variant`'s behaviour. `Entrypoint` is unset, so `podman run <image> <command…>`
 * runs that command instead (a release command, say). Deterministic: the same variant and label give
 * the same digest; the busybox layer is shared by every variant.
 */
export function buildDemoImage(variant: DemoImageVariant, opts: DemoImageOptions = {}): OciImage {
  const label = opts.label ?? '';
  baseLayer ??= tarLayer(writeTarEntries(busyboxEntries()));
  const scriptLayer = tarLayer(
    writeTarEntries([
      { type: 'dir', path: 'demo' },
      { type: 'file', path: RUN_SCRIPT, content: runScript(variant, label), mode: 0o755 },
    ]),
  );
  return assembleImage([baseLayer, scriptLayer], {
    Env: ['PATH=/bin'],
    Cmd: ['/bin/busybox', 'sh', `/${RUN_SCRIPT}`],
    WorkingDir: '/',
    StopSignal: 'SIGTERM',
    ...(variant === 'ok' || variant === 'unhealthy' ? { ExposedPorts: { [`${DEMO_IMAGE_PORT}/tcp`]: {} } } : {}),
    Labels: { 'dev.hangar.demo.variant': variant, 'dev.hangar.demo.label': label },
  });
}

function busyboxEntries(): TarEntry[] {
  return [
    { type: 'dir', path: 'bin' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'www' },
    { type: 'file', path: 'bin/busybox', content: readFileSync(BUSYBOX_STATIC_BIN), mode: 0o755 },
    ...APPLETS.map((applet): TarEntry => ({ type: 'symlink', path: `bin/${applet}`, target: 'busybox' })),
  ];
}

/**
 * The script is run by `busybox sh` as the container's PID 1. The kernel drops signals PID 1 has no
 * handler for, and busybox httpd installs none for SIGTERM, so httpd is not PID 1: the shell starts it
 * in the background and traps TERM/INT, making `podman stop` end the container at once with exit 0
 * instead of waiting out the stop timeout for a SIGKILL (137). `wait` returns early on a trapped signal,
 * and if httpd dies on its own the script exits with its code.
 */
function runScript(variant: DemoImageVariant, label: string): string {
  const head = `# Hangar demo image, variant ${variant}.\nlabel=${shellQuote(label)}\n`;
  switch (variant) {
    case 'exits':
      return `${head}echo "demo: variant exits, exiting with code 3 (label=$label)" >&2\nexit 3\n`;
    case 'never-listens':
      return `${head}trap 'exit 0' TERM INT\necho "demo: running, listening on nothing (label=$label)"\nwhile :; do sleep 1 & wait $!; done\n`;
    case 'ok':
    case 'unhealthy':
      return [
        head.trimEnd(),
        `trap 'kill "$pid" 2>/dev/null; exit 0' TERM INT`,
        'mkdir -p /www',
        `printf 'version=%s release=%s machine=%s greeting=%s label=%s\\n' "$FLY_MACHINE_VERSION" "$HANGAR_RELEASE_VERSION" "$FLY_MACHINE_ID" "$GREETING" "$label" >/www/index.html`,
        variant === 'ok' ? 'echo ok >/www/health' : 'rm -f /www/health',
        `httpd -f -p "\${PORT:-${DEMO_IMAGE_PORT}}" -h /www &`,
        'pid=$!',
        `echo "demo: serving /www on port \${PORT:-${DEMO_IMAGE_PORT}} (variant ${variant}, label=$label)"`,
        'wait "$pid"',
        '',
      ].join('\n');
    default: {
      const unknown: never = variant;
      throw new Error(`unknown demo image variant ${String(unknown)}`);
    }
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** One pushed demo image. */
export interface PushedDemoImage {
  /** `host/repo:tag`. */
  readonly reference: string;
  /** The manifest digest, `sha256:<hex>`. */
  readonly digest: string;
  /** `host/repo@sha256:<hex>`. */
  readonly pinned: string;
}

/** What to push under one tag. */
export interface DemoImageSpec {
  readonly variant: DemoImageVariant;
  readonly label?: string;
}

/**
 * Builds and pushes each `tags` entry as `repo:<tag>` to the registry (default the local one at
 * 127.0.0.1:5000), in order; resolves to tag → reference and digest.
 */
export async function pushDemoImages(
  repo: string,
  tags: Readonly<Record<string, DemoImageSpec>>,
  registry: { url: string; host: string } = { url: TEST_REGISTRY_URL, host: TEST_REGISTRY_HOST },
): Promise<Record<string, PushedDemoImage>> {
  const pushed: Record<string, PushedDemoImage> = {};
  for (const [tag, spec] of Object.entries(tags)) {
    const digest = await pushImage(registry.url, repo, tag, buildDemoImage(spec.variant, { label: spec.label }));
    pushed[tag] = { reference: `${registry.host}/${repo}:${tag}`, digest, pinned: `${registry.host}/${repo}@${digest}` };
  }
  return pushed;
}
