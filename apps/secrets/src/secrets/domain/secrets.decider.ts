import { ErrorCodes, HangarError, type SecretSummary } from '@hangar/contracts';
import type { ChangeSecrets, Instant, RecordRelease, RequestDeploy, SecretsCommand } from './secrets.commands';
import type { SecretsEvent } from './secrets.events';
import { SecretsErrorCodes, issuesError, type SecretIssue } from './secret-rules';
import { EMPTY_VERSION, evolve, initialState, type SecretEntry, type SecretsState } from './secrets.state';

export type { SecretsCommand } from './secrets.commands';
export type { SecretsEvent } from './secrets.events';
export type { SecretsState, SecretEntry } from './secrets.state';
export { liveValueRefs, refKey } from './secrets.state';

/**
 * The secrets of one app (DESIGN §6.6): every change is a new immutable version; staged changes wait
 * for `secrets deploy`; old versions are kept for rollback until the retention setting prunes them.
 */
export function decide(command: SecretsCommand, state: SecretsState): SecretsEvent[] {
  switch (command.type) {
    case 'ChangeSecrets':
      return change(command, state);
    case 'RequestDeploy':
      return requestDeploy(command, state);
    case 'RecordRelease':
      return recordRelease(command, state);
    case 'RecordKeyRotation':
      return command.fromKeyId === command.toKeyId ? [] : [{ type: 'SecretsKeyRotated', data: { app: command.app, fromKeyId: command.fromKeyId, toKeyId: command.toKeyId } }];
    default: {
      const unknown: never = command;
      throw new HangarError(ErrorCodes.INTERNAL, `unknown secrets command ${JSON.stringify(unknown)}`);
    }
  }
}

/** The secrets decider: `decide`, `evolve`, `initialState` (STYLE.md Shape 1). */
export const secretsDecider = { decide, evolve, initialState } as const;

function change(command: ChangeSecrets, state: SecretsState): SecretsEvent[] {
  const current = latest(state);
  const issues: SecretIssue[] = command.unset
    .map((name, i) => ({ name, i }))
    .filter(({ name }) => !(name in current))
    .map(({ name, i }) => ({ path: `unset.${i}`, code: SecretsErrorCodes.NOT_SET, message: `secret ${name} is not set on app ${command.app}` }));
  if (issues.length > 0) throw issuesError(issues);
  // Setting a name to the value it already has changes nothing (flyctl: "no change detected").
  const set = Object.fromEntries(Object.entries(command.set).filter(([name, digest]) => current[name]?.digest !== digest));
  const unset = [...new Set(command.unset)];
  if (Object.keys(set).length === 0 && unset.length === 0) return [];
  const version = state.version + 1;
  const updated: SecretsEvent = {
    type: 'SecretsUpdated',
    data: { app: command.app, version, set, unset, staged: command.stage || !command.hasRelease, createdAt: isoOf(command.now) },
  };
  return [updated, ...prune(evolve(state, updated), command.retain)];
}

/** Drops every kept version older than the newest `retain`, except the released and requested ones. */
function prune(state: SecretsState, retain: number): SecretsEvent[] {
  const keep = (v: number) => v > state.version - Math.max(1, retain) || v === state.releasedVersion || v === state.requestedVersion;
  const versions = Object.keys(state.versions).map(Number).filter((v) => !keep(v)).sort((a, b) => a - b);
  return versions.length === 0 ? [] : [{ type: 'SecretsVersionsPruned', data: { app: state.app, versions } }];
}

function requestDeploy(command: RequestDeploy, state: SecretsState): SecretsEvent[] {
  if (!command.hasRelease) {
    throw new HangarError(SecretsErrorCodes.NO_RELEASE, `app ${command.app} has no release yet: staged secrets go out with its first \`hangar deploy\``, { app: command.app });
  }
  if (state.version === 0 || state.version <= Math.max(state.requestedVersion, state.releasedVersion)) {
    throw new HangarError(SecretsErrorCodes.NOTHING_STAGED, `app ${command.app} has no staged secret changes: every secret is deployed`, { app: command.app, version: state.version });
  }
  return [{ type: 'SecretsDeployRequested', data: { app: command.app, version: state.version } }];
}

function recordRelease(command: RecordRelease, state: SecretsState): SecretsEvent[] {
  if (command.secretsVersion <= state.releasedVersion || command.secretsVersion > state.version) return [];
  const { app, secretsVersion: version, releaseId, releaseVersion } = command;
  return [{ type: 'SecretsReleased', data: { app, version, releaseId, releaseVersion } }];
}

/** The name → entry map of the latest version. */
export function latest(state: SecretsState): Readonly<Record<string, SecretEntry>> {
  return state.versions[state.version] ?? EMPTY_VERSION;
}

/** The entries of `version` (what `get-values` decrypts); a clear error when it never existed or was pruned. */
export function versionEntries(state: SecretsState, app: string, version: number): Readonly<Record<string, SecretEntry>> {
  if (!Number.isInteger(version) || version < 1 || version > state.version) {
    throw new HangarError(SecretsErrorCodes.VERSION_NOT_FOUND, `app ${app} has no secrets version ${version} (latest: ${state.version})`, { app, version });
  }
  const map = state.versions[version];
  if (!map) {
    throw new HangarError(SecretsErrorCodes.VERSION_PRUNED, `secrets version ${version} of app ${app} was pruned by the retention setting (HANGAR_SECRETS_RETAIN_VERSIONS)`, { app, version });
  }
  return map;
}

/** `secrets list`: the latest names with digest, created at and `deployed`/`staged`, plus staged unsets. */
export function summarize(state: SecretsState): SecretSummary[] {
  const current = latest(state);
  const rows: SecretSummary[] = Object.entries(current).map(([name, e]) => ({
    name,
    digest: e.digest,
    createdAt: e.createdAt,
    status: e.setIn <= state.releasedVersion ? 'deployed' : 'staged',
  }));
  const released = state.releasedVersion > 0 ? state.versions[state.releasedVersion] : undefined;
  for (const [name, e] of Object.entries(released ?? EMPTY_VERSION)) {
    if (!(name in current)) rows.push({ name, digest: e.digest, createdAt: e.createdAt, status: 'staged', unset: true });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

function isoOf(now: Instant): string {
  return (typeof now === 'string' ? new Date(now) : now).toISOString();
}
