import { createInterface } from 'node:readline';
import type { AppLogLine } from '@hangar/contracts';
import type { PodmanCli } from '../runtime/podman-cli';
import { mergeByTime, parsePodmanLine, type LineOrigin } from './log-lines';

/** Lines of one container read once; how many from its end (default 1000). */
const BACKLOG_LINES = 1000;

/**
 * A container's output through `podman logs --timestamps`. Podman writes what the container wrote to
 * stdout on its own stdout and the container's stderr on its stderr, so the stream is kept apart.
 */
export class ContainerLogs {
  constructor(private readonly podman: PodmanCli) {}

  /** Its last lines, stdout and stderr merged by time; null when the container does not exist. */
  async read(container: string, origin: LineOrigin): Promise<AppLogLine[] | null> {
    const out = await this.podman.run(['logs', '--timestamps', '--tail', String(BACKLOG_LINES), container], { timeoutMs: 30_000 });
    if (out.code !== 0) return null;
    const parse = (text: string, stream: AppLogLine['stream']) =>
      text
        .split('\n')
        .map((l) => parsePodmanLine(l, stream, origin))
        .filter((l): l is AppLogLine => l !== null);
    return mergeByTime([parse(out.stdout, 'stdout'), parse(out.stderr, 'stderr')]);
  }

  /**
   * Follows the container until it stops (or is removed), or `signal` aborts: every line as it is
   * written (from `since` on, when given) goes to `onLine`. Resolves when podman's process ends.
   */
  follow(container: string, origin: LineOrigin, opts: { since?: string; signal: AbortSignal }, onLine: (line: AppLogLine) => void): Promise<void> {
    if (opts.signal.aborted) return Promise.resolve();
    const child = this.podman.spawn(['logs', '--timestamps', '--follow', ...(opts.since ? ['--since', opts.since] : []), container]);
    child.stdin.end();
    const kill = () => child.kill('SIGTERM');
    opts.signal.addEventListener('abort', kill, { once: true });
    for (const [stream, readable] of [['stdout', child.stdout], ['stderr', child.stderr]] as const) {
      createInterface({ input: readable, crlfDelay: Infinity }).on('line', (raw) => {
        const line = parsePodmanLine(raw, stream, origin);
        if (line) onLine(line);
      });
    }
    return new Promise((resolve) => {
      child.once('error', () => resolve());
      child.once('close', () => {
        opts.signal.removeEventListener('abort', kill);
        resolve();
      });
    });
  }
}
