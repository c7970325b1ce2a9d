/**
 * nats.js ignores credentials written into a server URL, so `NATS_URL=nats://user:password@host:4222`
 * (deploy/nats-accounts.conf) is split here into the server and the `user` / `pass` options.
 */
export function natsServerOptions(natsUrl: string): { servers: string; user?: string; pass?: string } {
  let url: URL;
  try {
    url = new URL(natsUrl);
  } catch {
    return { servers: natsUrl };
  }
  if (!url.username) return { servers: natsUrl };
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { servers: url.toString().replace(/\/$/, ''), user, ...(pass ? { pass } : {}) };
}
