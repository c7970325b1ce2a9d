import { APP_NAME_PATTERN } from './names';
import { canonicalImageName, parseRepositoryTarget, targetCovers, type PushedImageName } from './repository-target';

/**
 * API token scopes (DESIGN §7.2 "Access"): `admin` (everything), `audit:read` (audit queries and
 * verification), `app:<name>:read` (an app's state, releases and machines), `app:<name>:deploy`
 * (read, plus deploys, scaling, machine runs and destroying that app), `registry:push:<host>/<repository>`
 * (report pushes of that repository over NATS with `record-push`, as a CI system or registry bridge
 * does; `<host>/<prefix>/*` every repository under the prefix, `<host>/*` every one of the host) and
 * `registry:push`, the wide form, for every repository of every registry.
 */
export type Scope = 'admin' | 'audit:read' | 'registry:push' | `registry:push:${string}` | `app:${string}:read` | `app:${string}:deploy`;

/** What a route or command needs; `app` ones name the app they touch. */
export type RequiredScope =
  | { kind: 'admin' }
  | { kind: 'audit:read' }
  /** A push of `image` (as the payload names it); without one, only the wide `registry:push` will do. */
  | { kind: 'registry:push'; image?: PushedImageName }
  | { kind: 'app'; app: string; access: 'read' | 'deploy' }
  /** Any valid token (the result is then filtered by what the token may read). */
  | { kind: 'authenticated' };

/** The principal names that API tokens may not take: they are actors Hangar itself records. */
export const RESERVED_PRINCIPAL_NAMES: readonly string[] = ['admin', 'system', 'anonymous'];

/** Token names: lower-case letters, digits, `.`, `_`, `-`; 1–63 characters, starting with a letter or digit. */
export const TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The scope shapes, as error messages list them. */
export const SCOPE_SHAPES = 'admin, audit:read, app:<name>:read, app:<name>:deploy, registry:push:<host>/<repository> (or <host>/<prefix>/*, <host>/*) or registry:push';

const APP_SCOPE = /^app:([^:]+):(read|deploy)$/;
const REGISTRY_PUSH_TARGETED = 'registry:push:';

/** What is wrong with one scope string, naming it (and a malformed push target); `undefined` when it is valid. */
export function scopeProblem(raw: string): string | undefined {
  if (raw === 'admin' || raw === 'audit:read' || raw === 'registry:push') return undefined;
  if (raw.startsWith(REGISTRY_PUSH_TARGETED)) {
    const parsed = parseRepositoryTarget(raw.slice(REGISTRY_PUSH_TARGETED.length));
    return 'problem' in parsed ? `scope "${raw}": ${parsed.problem}` : undefined;
  }
  const m = APP_SCOPE.exec(raw);
  if (m && APP_NAME_PATTERN.test(m[1]!)) return undefined;
  return `scope must be ${SCOPE_SHAPES}; got "${raw}"`;
}

/** Parses one scope string; `undefined` when it is not one of the shapes (or names an invalid app or push target). */
export function parseScope(raw: string): Scope | undefined {
  return scopeProblem(raw) === undefined ? (raw as Scope) : undefined;
}

/** True when a token holding `scopes` may do what `required` asks. `deploy` implies `read`; `admin` implies all. */
export function grants(scopes: readonly string[], required: RequiredScope): boolean {
  if (scopes.includes('admin')) return true;
  switch (required.kind) {
    case 'admin':
      return false;
    case 'authenticated':
      return true;
    case 'audit:read':
      return scopes.includes('audit:read');
    case 'registry:push':
      return scopes.includes('registry:push') || (required.image !== undefined && scopes.some((s) => pushTargetCovers(s, required.image!)));
    case 'app':
      return scopes.includes(`app:${required.app}:deploy`) || (required.access === 'read' && scopes.includes(`app:${required.app}:read`));
    default: {
      const never: never = required;
      return never;
    }
  }
}

function pushTargetCovers(scope: string, image: PushedImageName): boolean {
  if (!scope.startsWith(REGISTRY_PUSH_TARGETED)) return false;
  const parsed = parseRepositoryTarget(scope.slice(REGISTRY_PUSH_TARGETED.length));
  return 'target' in parsed && targetCovers(parsed.target, image.host, image.repository);
}

/** True when `scopes` let the holder read `app` (for filtering lists). */
export function canReadApp(scopes: readonly string[], app: string): boolean {
  return grants(scopes, { kind: 'app', app, access: 'read' });
}

/** `app:demo:deploy`-style text of a requirement, for error messages (`registry:push:ghcr.io/acme/web` for a push). */
export function describeScope(required: RequiredScope): string {
  switch (required.kind) {
    case 'app':
      return `app:${required.app}:${required.access}`;
    case 'registry:push':
      return required.image ? `${REGISTRY_PUSH_TARGETED}${required.image.host}/${required.image.repository}` : 'registry:push';
    case 'authenticated':
      return 'any valid token';
    default:
      return required.kind;
  }
}

/**
 * The commands an app-scoped token may send, each about the one app its payload names (DESIGN §7.3):
 * the same operations the HTTP API grants `app:<app>:read` / `app:<app>:deploy` for. A fixed list, so
 * an `app` field added to any other command's payload cannot lower what it needs (review M2).
 */
const APP_COMMANDS = new Set([
  'get-app',
  'get-config',
  'destroy-app',
  'get-release',
  'list-releases',
  'create-release',
  'rollback-release',
  'cancel-release',
  'scale',
  'list-ips',
  'allocate-ip',
  'release-ip',
  'list-machines',
  'run-machine',
  'clone-machine',
  'destroy-machine',
  'get-machine',
  'start-machine',
  'stop-machine',
  'restart-machine',
  'adopt-machines',
  'list-volumes',
  'create-volume',
  'list',
  'set',
  'unset',
  'deploy',
  'list-triggers',
  'list-trigger-log',
  'add-trigger',
  'remove-trigger',
]);

/**
 * The scope a NATS command needs (DESIGN §7.3), decided by the command: `record-push` needs
 * `registry:push` or a `registry:push:<target>` covering the `host`/`repository` it names; an app command (`APP_COMMANDS`) needs `app:<app>:read` for reads (`isReadCommand`)
 * and `app:<app>:deploy` otherwise, and `admin` when its payload names no app; every other command
 * (making apps, secret values, receivers, internal commands between services) needs `admin`.
 */
export function commandScope(command: string, payload: unknown): RequiredScope {
  if (command === 'record-push') return { kind: 'registry:push', ...pushedImage(payload) };
  const app = typeof payload === 'object' && payload !== null ? (payload as { app?: unknown }).app : undefined;
  if (!APP_COMMANDS.has(command) || typeof app !== 'string') return { kind: 'admin' };
  return { kind: 'app', app, access: isReadCommand(command) ? 'read' : 'deploy' };
}

/** The image a `record-push` payload names, normalised as builder records it; none when it names no host and repository. */
function pushedImage(payload: unknown): { image?: PushedImageName } {
  if (typeof payload !== 'object' || payload === null) return {};
  const { host, repository } = payload as { host?: unknown; repository?: unknown };
  return typeof host === 'string' && typeof repository === 'string' ? { image: canonicalImageName(host, repository) } : {};
}

/** `get`, `list`, `get-*` and `list-*` commands only read. */
export function isReadCommand(command: string): boolean {
  return command === 'get' || command === 'list' || command.startsWith('get-') || command.startsWith('list-');
}
