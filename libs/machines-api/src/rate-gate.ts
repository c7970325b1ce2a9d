/**
 * What a 429 holds back: one action on one machine (`app/machine:action`), or one app-level call
 * (`app:list`, `app:launch`). Fly rate-limits the Machines API per machine and action (and per app for
 * list and launch), so a 429 on one machine's `update` must not slow down another machine's calls.
 * The action names follow fly-go's `flaps/actions.go` (`machineGet`, `machineUpdate`, `machineWait`, …).
 */
export function rateKey(method: string, path: string): string {
  const m = /^\/v1\/apps\/([^/]+)(?:\/machines(?:\/([^/?]+)(?:\/([^/?]+))?)?)?/.exec(path);
  if (!m) return `${method} ${path.split('?')[0]}`;
  const [, app, machine, sub] = m;
  if (machine === undefined) return path.startsWith(`/v1/apps/${app}/machines`) ? `${app}:${method === 'GET' ? 'list' : 'launch'}` : `${method} ${path.split('?')[0]}`;
  if (sub === undefined) return `${app}/${machine}:${method === 'GET' ? 'get' : method === 'DELETE' ? 'destroy' : 'update'}`;
  if (sub === 'lease') return `${app}/${machine}:lease-${method === 'GET' ? 'get' : method === 'DELETE' ? 'release' : 'acquire'}`;
  return `${app}/${machine}:${sub}`;
}

/**
 * Remembers until when each rate key is held back after a 429, so every caller of the same machine
 * and action waits out the server's `Retry-After` instead of each finding the limit again.
 */
export class RateGate {
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** How long a request on `key` must wait before it goes, in ms (0 when it may go now). */
  delayFor(key: string): number {
    const until = this.notBefore.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) this.notBefore.delete(key);
    return Math.max(0, left);
  }

  /** A 429 on `key`: nothing more goes on it for `ms`. */
  hold(key: string, ms: number): void {
    const until = this.now() + ms;
    if ((this.notBefore.get(key) ?? 0) < until) this.notBefore.set(key, until);
  }
}
