import { REGISTRY_SOURCES, type PushLogEntry, type ReceiverView, type RegistrySource, type TriggerLogEntry, type TriggerView } from '@hangar/contracts';
import { CliError, ExitCode } from './cli-error';
import { table } from './cli-context';

/** A receiver as `receivers add` prints it (`secret` only when Hangar generated it). */
export interface CreatedReceiver {
  id: string;
  source: RegistrySource;
  host: string;
  repositoryPrefix?: string;
  url: string;
  secret?: string;
}

export type ListedReceiver = ReceiverView & { url: string };

/** Names users reach for, and the source that speaks their registry's dialect. */
const ALIASES: Readonly<Record<string, string>> = {
  gitlab: "GitLab's registry sends distribution notifications: --source distribution",
  'registry:2': 'use --source distribution',
  docker: 'Docker Hub is --source dockerhub; a self-hosted registry is --source distribution',
  github: '--source ghcr',
  gcr: 'Artifact Registry through Pub/Sub is --source gar',
  artifactory: '--source jfrog',
  azure: '--source acr',
  aws: 'ECR through EventBridge is --source ecr',
};

/** `--source` checked before anything is sent; the error names every allowed source. */
export function parseSource(raw: string): RegistrySource {
  const source = REGISTRY_SOURCES.find((s) => s === raw);
  if (!source) {
    const hint = ALIASES[raw.toLowerCase()];
    throw new CliError(`unknown --source "${raw.slice(0, 40)}": use one of ${REGISTRY_SOURCES.join(', ')}${hint ? ` (${hint})` : ''}`, ExitCode.USAGE);
  }
  return source;
}

/** `--limit` as an integer from 1 to 1000. */
export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) throw new CliError(`--limit must be an integer from 1 to 1000; got "${raw.slice(0, 20)}"`, ExitCode.USAGE);
  return Number(raw);
}

const TOKEN_IN_QUERY: readonly RegistrySource[] = ['dockerhub', 'quay', 'gar'];

/** Where the registry puts the secret, in the words of its own webhook settings. */
export function secretHint(source: RegistrySource): string {
  switch (source) {
    case 'distribution':
      return 'send it as the header "Authorization: Bearer <secret>" (notifications.endpoints[].headers)';
    case 'harbor':
      return 'set the webhook\'s Auth Header to "Bearer <secret>"';
    case 'acr':
      return 'add the custom header "Authorization: Bearer <secret>" to the webhook';
    case 'ghcr':
      return 'use it as the webhook\'s secret (GitHub signs each delivery with it, X-Hub-Signature-256)';
    case 'jfrog':
      return 'use it as the webhook\'s secret, with "Use secret for signing" on (X-JFrog-Event-Auth)';
    case 'ecr':
      return 'use it as the API key of the EventBridge connection, header name x-api-key';
    case 'dockerhub':
    case 'quay':
    case 'gar':
      return 'append it to the URL as ?token=<secret>';
    default: {
      const never: never = source;
      return never;
    }
  }
}

/** The human output of `receivers add`. */
export function formatCreatedReceiver(receiver: CreatedReceiver): string[] {
  const lines = [`Receiver ${receiver.id} added for ${receiver.source} pushes to ${pushesOf(receiver)}`, `  URL:    ${receiver.url}`];
  if (receiver.secret) {
    lines.push(`  Secret: ${receiver.secret}`);
    if (TOKEN_IN_QUERY.includes(receiver.source)) lines.push(`  URL with the secret: ${receiver.url}?token=${encodeURIComponent(receiver.secret)}`);
    lines.push('The secret is shown only now: Hangar never shows it again.');
  }
  lines.push(`Registry setup: ${secretHint(receiver.source)}; see README "Registry push triggers".`);
  return lines;
}

export function formatReceivers(receivers: readonly ListedReceiver[]): string[] {
  if (receivers.length === 0) return ['No receivers: add one with hangar receivers add --source <registry>'];
  return table([['ID', 'SOURCE', 'PUSHES TO', 'URL', 'CREATED BY', 'CREATED AT'], ...receivers.map((r) => [r.id, r.source, pushesOf(r), r.url, r.createdBy, r.createdAt])]);
}

/** `host`, `host/prefix/…`, or why a receiver of a self-hosted source added before hosts were recorded refuses everything. */
function pushesOf(r: { host?: string; repositoryPrefix?: string }): string {
  if (r.host === undefined) return 'nothing (no host recorded: add a new receiver with --host)';
  return r.repositoryPrefix === undefined ? r.host : `${r.host}/${r.repositoryPrefix}/…`;
}

export function formatTriggers(app: string, triggers: readonly TriggerView[]): string[] {
  if (triggers.length === 0) return [`No triggers for ${app}: add one with hangar triggers add -a ${app} --image HOST/REPO --tag-policy exact:TAG`];
  return table([['ID', 'IMAGE', 'TAG POLICY', 'CREATED BY', 'CREATED AT'], ...triggers.map((t) => [t.id, t.image, t.tagPolicy, t.createdBy, t.createdAt])]);
}

/** `sha256:<hex>` as its first 12 hex characters (as `docker images` shows it); `-` when unknown. */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '-';
  const hex = digest.slice(digest.indexOf(':') + 1);
  return hex.slice(0, 12);
}

function outcomeText(result: 'deployed' | 'skipped', version: number | undefined, reason: string | undefined): string {
  if (result === 'skipped') return `skipped: ${reason ?? 'no reason recorded'}`;
  const deployed = version === undefined ? 'deployed' : `deployed v${version}`;
  // A deploy's reason is a note such as "superseded the queued v12".
  return reason ? `${deployed} (${reason})` : deployed;
}

/** `triggers log -a APP`: one line per push a trigger of the app followed, and what came of it. */
export function formatTriggerLog(app: string, entries: readonly TriggerLogEntry[]): string[] {
  if (entries.length === 0) return [`No pushes followed by a trigger of ${app} yet`];
  return table([
    ['TIME', 'IMAGE', 'DIGEST', 'RESULT'],
    ...entries.map((e) => [e.at, `${e.image}:${e.tag}`, shortDigest(e.digest), outcomeText(e.result, e.version, e.reason)]),
  ]);
}

/** What came of one push for every app: `demo: deployed v7; api: skipped: …`, or why nothing did. */
export function pushOutcome(push: PushLogEntry): string {
  if (!push.evaluation) return 'pending: not evaluated yet';
  const { outcomes, reason } = push.evaluation;
  if (outcomes.length === 0) return reason ?? 'no trigger matches';
  return outcomes.map((o) => `${o.app}: ${outcomeText(o.result, o.version, o.reason)}`).join('; ');
}

/** `triggers log --all`: every push recorded, one line each, with its outcomes. */
export function formatPushLog(pushes: readonly PushLogEntry[]): string[] {
  if (pushes.length === 0) return ['No pushes recorded yet'];
  return table([
    ['TIME', 'IMAGE', 'DIGEST', 'SOURCE', 'OUTCOME'],
    ...pushes.map((p) => [p.at, `${p.host}/${p.repository}:${p.tag}`, shortDigest(p.digest), p.source, pushOutcome(p)]),
  ]);
}
