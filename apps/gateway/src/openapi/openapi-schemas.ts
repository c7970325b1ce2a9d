import type { SchemaObject } from '@nestjs/swagger';
import { APP_NAME_PATTERN, REGISTRY_SOURCES, SECRET_NAME_PATTERN, TOKEN_NAME_PATTERN } from '@hangar/contracts';
import { arrayOf, boolean, dateTime, integer, object, ref, string, type Schema } from './openapi-operations';

const RELEASE_STATUSES = ['queued', 'running', 'complete', 'failed', 'cancelled', 'rolled_back'];
const RELEASE_TRIGGERS = ['cli', 'api', 'nats', 'registry', 'secrets', 'rollback'];
const MACHINE_STATES = ['created', 'starting', 'started', 'stopping', 'stopped', 'replacing', 'destroying', 'destroyed', 'failed'];
const TAMPER_KINDS = ['edited', 'reordered', 'missing', 'truncated', 'stream-deleted', 'rewritten', 'head-mismatch', 'downgraded', 'checkpoint-invalid', 'unrecorded-token'];
const APP_SCOPE = APP_NAME_PATTERN.source.replace(/^\^|\$$/g, '');

const pointer: SchemaObject = object({ id: string('Release id.'), version: integer() }, ['id', 'version']);
const pushOutcome: SchemaObject = object(
  {
    triggerId: string(),
    app: string(),
    result: string(undefined, { enum: ['deployed', 'skipped'] }),
    reason: string('Why it did not deploy.'),
    releaseId: string(),
    version: integer(),
  },
  ['triggerId', 'app', 'result'],
);

/** The shapes the routes answer with (libs/contracts and the gateway's views), under `components.schemas`. */
export const SCHEMAS: Record<string, Schema> = {
  Error: object(
    {
      error: object(
        {
          code: string('Stable `AREA.RULE` code, e.g. `RELEASE.APP_NOT_FOUND`, `REQUEST.INVALID`, `AUTH.FORBIDDEN`.'),
          message: string('For humans.'),
          details: { description: 'Structured context; for `REQUEST.INVALID` a list of `ValidationIssue`.' },
        },
        ['code', 'message'],
      ),
    },
    ['error'],
    { description: 'Every error answer: `{ error: { code, message, details? } }`.' },
  ),
  ValidationIssue: object({ path: string('Dotted field path, e.g. `config.services.0.internalPort`.'), message: string() }, ['path', 'message']),
  Health: object({ status: string(undefined, { enum: ['ok'] }) }, ['status']),
  Readiness: object(
    {
      status: string(undefined, { enum: ['ok', 'unavailable'] }),
      checks: object({ database: string('`ok` or `error: …`'), nats: string('`ok` or `error: …`') }, ['database', 'nats']),
    },
    ['status', 'checks'],
  ),
  AppSummary: object(
    {
      name: string(undefined, { pattern: APP_NAME_PATTERN.source }),
      platformVersion: string(undefined, { enum: ['v2', 'legacy'] }),
      createdAt: dateTime(),
      org: string('The machines provider’s org the app is in (`apps create --org`, `HANGAR_FLY_ORG`).'),
      importedVersion: integer('`apps import`: the highest `fly_release_version` its managed machines had; releases continue from the next version.'),
      currentRelease: { ...pointer, description: 'The last complete release.' },
      runningRelease: { ...pointer, description: 'The release holding the deploy lock.' },
      queuedReleases: arrayOf(pointer),
    },
    ['name', 'platformVersion', 'createdAt', 'queuedReleases'],
  ),
  DestroyedApp: object(
    {
      app: string(),
      destroyedAt: dateTime(),
      machines: arrayOf(object({ id: string(), managed: boolean(), processGroup: string(), region: string() }, ['id', 'managed', 'region']), 'The machines the app had.'),
      volumes: arrayOf(object({ id: string(), name: string(), region: string() }, ['id', 'name', 'region']), 'The volumes the app had.'),
      ipsReleased: arrayOf(string(), 'Addresses given back to their pools.'),
      teardown: string('`complete`: every machine and volume is destroyed; `pending`: machine-updater finishes it in the background.', { enum: ['complete', 'pending'] }),
    },
    ['app', 'destroyedAt', 'machines', 'volumes', 'ipsReleased', 'teardown'],
  ),
  CurrentConfig: object(
    {
      app: string(),
      release: object({ id: string(), version: integer(), image: string('The image the release resolved, pinned by digest.') }, ['id', 'version']),
      config: object({}, [], { additionalProperties: true, description: 'The normalised config (DESIGN §6.1), as `config validate --json` prints it.' }),
    },
    ['app', 'release', 'config'],
  ),
  ReleaseStatus: string(undefined, { enum: RELEASE_STATUSES }),
  Release: object({ id: string(), version: integer(), status: ref('ReleaseStatus') }, ['id', 'version', 'status'], {
    description: 'A release as a deploy, rollback or cancel answers it.',
  }),
  ReleaseSummary: object(
    {
      id: string(),
      app: string(),
      version: integer(),
      status: ref('ReleaseStatus'),
      trigger: string(undefined, { enum: RELEASE_TRIGGERS }),
      actor: string('Token name, `admin`, or `system`.'),
      image: string('As resolved (`host/repo:tag@sha256:…`) once known, else as requested.'),
      imageId: string(),
      strategy: string(),
      createdAt: dateTime(),
      finishedAt: dateTime(),
      reason: string(),
      machines: object({ total: integer(), succeeded: integer(), failed: integer() }, ['total', 'succeeded', 'failed']),
      options: object(
        {
          env: object({}, [], { additionalProperties: { type: 'string' }, description: '`--env` overrides of `[env]`, by name.' }),
          imageLabel: string('Recorded only.'),
          skipReleaseCommand: boolean(),
          updateOnly: boolean(),
          ha: boolean(),
          leaseTimeoutMs: integer(),
          onlyRegions: arrayOf(string()),
          excludeRegions: arrayOf(string()),
          onlyMachines: arrayOf(string()),
          excludeMachines: arrayOf(string()),
          processGroups: arrayOf(string()),
        },
        [],
        { description: 'What the deploy was asked beyond fly.toml and the strategy settings, as the deploy request names it; absent when nothing.' },
      ),
      filters: ref('FilterOutcome'),
    },
    ['id', 'app', 'version', 'status', 'trigger', 'actor', 'image', 'strategy', 'createdAt'],
  ),
  FilterOutcome: object(
    {
      applied: arrayOf(string(), 'The filter flags, as flyctl names them (`--regions`, `--exclude-regions`, `--only-machines`, `--exclude-machines`, `--process-groups`).'),
      selected: integer('Managed machines that pass the filters.'),
      total: integer('Managed machines of the app.'),
      unknownMachines: arrayOf(string(), 'Ids given to `--only-machines`/`--exclude-machines` that are no managed machine of the app.'),
    },
    ['applied', 'selected', 'total'],
    { description: 'flyctl’s `<flags> filter(s) applied, deploying to N/M machines`, from the plan.' },
  ),
  DryRunPlan: object(
    {
      app: string(),
      version: integer(),
      strategy: string(),
      image: string(),
      releaseCommand: string(),
      filters: ref('FilterOutcome'),
      entries: arrayOf(
        object(
          { machineId: string(), processGroup: string(), region: string(), action: string(), fromVersion: integer(), toVersion: integer() },
          ['processGroup', 'region', 'action', 'toVersion'],
        ),
      ),
    },
    ['app', 'version', 'strategy', 'image', 'entries'],
  ),
  StoredEvent: object(
    {
      eventId: string(),
      globalPosition: integer('Position in the store’s global order.'),
      streamId: string(),
      streamPosition: integer(),
      type: string('Past-tense event type, e.g. `ReleaseQueued`.'),
      data: object({}, [], { additionalProperties: true }),
      metadata: object({}, [], { additionalProperties: true, description: '`actor`, correlation and causation ids.' }),
      recordedAt: dateTime(),
    },
    ['eventId', 'globalPosition', 'streamId', 'streamPosition', 'type', 'data', 'metadata', 'recordedAt'],
  ),
  MachineState: string(undefined, { enum: MACHINE_STATES }),
  MachineView: object(
    {
      id: string('14 lower-case hex characters.'),
      processGroup: string(),
      region: string(),
      state: ref('MachineState'),
      managed: boolean('Managed by deploys (false for `machine run` machines).'),
      releaseVersion: integer(),
      image: string(),
      volume: string('Attached volume id.'),
      mountPath: string(),
    },
    ['id', 'processGroup', 'region', 'state', 'managed', 'image'],
    { description: 'A machine as `status --json` shows it: the `MachineView` of libs/contracts without `config`, `instanceId` and `releaseId`.' },
  ),
  MachineAtTime: object(
    {
      id: string(),
      processGroup: string(),
      region: string(),
      state: string(),
      managed: boolean(),
      releaseId: string(),
      releaseVersion: integer(),
      image: string(),
      since: dateTime('When the last event that changed this machine was recorded.'),
    },
    ['id', 'processGroup', 'region', 'state', 'managed', 'image', 'since'],
    { description: 'A machine as it was at `?at=`, told from the events.' },
  ),
  Volume: object(
    { id: string(), name: string(), region: string(), sizeGb: integer(), state: string(), attachedMachineId: string(), createdAt: dateTime() },
    ['id', 'name', 'region', 'sizeGb', 'state', 'createdAt'],
  ),
  IpAddress: object(
    {
      address: string(),
      type: string(undefined, { enum: ['v4', 'v6'] }),
      shared: boolean(),
      allocatedAt: dateTime(),
      region: string('With `HANGAR_MACHINES_PROVIDER=fly`: the region Fly.io gives the address (`global` for an anycast one).'),
    },
    ['address', 'type', 'shared', 'allocatedAt'],
  ),
  SecretsListing: object(
    {
      app: string(),
      version: integer('Latest secrets version; 0 when the app never had secrets.'),
      releasedVersion: integer('Highest version a queued release carries (0: none).'),
      lastRelease: object({ secretsVersion: integer(), releaseId: string(), releaseVersion: integer() }, ['secretsVersion', 'releaseId', 'releaseVersion']),
      secrets: arrayOf(
        object(
          {
            name: string(undefined, { pattern: SECRET_NAME_PATTERN.source }),
            digest: string('First 16 hex of sha256(value).'),
            createdAt: dateTime(),
            status: string(undefined, { enum: ['deployed', 'staged'] }),
            unset: boolean('Removed by a staged change, still on the machines.'),
          },
          ['name', 'digest', 'createdAt', 'status'],
        ),
      ),
    },
    ['app', 'version', 'releasedVersion', 'secrets'],
    { description: 'Names and digests only: no route ever returns a value.' },
  ),
  SecretsChangeResult: object(
    {
      app: string(),
      version: integer(),
      changed: boolean(),
      staged: boolean(),
      set: arrayOf(string(), 'Names set.'),
      unset: arrayOf(string(), 'Names unset.'),
      release: string('`pending`: a release is being created; `staged`: stored only; `first-deployment`: the app has no release yet.', {
        enum: ['pending', 'staged', 'first-deployment', 'none'],
      }),
      message: string(),
    },
    ['app', 'version', 'changed', 'staged', 'set', 'unset', 'release', 'message'],
  ),
  KeyRotationResult: object(
    { keyId: string(), rotated: arrayOf(string(), 'Apps whose data key was re-wrapped.'), receivers: integer('Receiver secrets re-wrapped.'), message: string() },
    ['keyId', 'rotated', 'message'],
  ),
  VerificationReport: object(
    {
      ok: boolean('No problems found.'),
      streams: integer(),
      events: integer(),
      legacyEvents: integer('Events stored before keyed hashing (unkeyed `sha256` hashes): verified as before, but a database writer could recompute them.'),
      checkpoint: { ...object({ sequence: integer(), recordedAt: dateTime(), streamCount: integer(), digest: string() }, ['sequence', 'recordedAt', 'streamCount', 'digest']), nullable: true },
      against: object({ sequence: integer(), digest: string(), heads: integer() }, ['sequence', 'digest', 'heads'], { description: 'The exported checkpoint also checked (`POST /v1/audit/verify` only).' }),
      problems: arrayOf(
        object({ streamId: string(), position: integer(), kind: string(undefined, { enum: TAMPER_KINDS }), message: string() }, ['streamId', 'position', 'kind', 'message']),
      ),
    },
    ['ok', 'streams', 'events', 'legacyEvents', 'checkpoint', 'problems'],
  ),
  CheckpointExport: object(
    {
      format: string(undefined, { enum: ['hangar-audit-checkpoint/1'] }),
      sequence: integer('The checkpoint exported.'),
      recordedAt: dateTime(),
      digest: string(),
      heads: arrayOf(
        object({ streamId: string(), position: integer(), head: string('The hash of the event at `position`.') }, ['streamId', 'position', 'head']),
        'Every stream’s latest committed head, and `audit-checkpoints` at `sequence`.',
      ),
      mac: string('Hex HMAC-SHA256 with `HANGAR_AUDIT_KEY` over the canonical JSON of the other fields.'),
    },
    ['format', 'sequence', 'recordedAt', 'digest', 'heads', 'mac'],
  ),
  CheckpointResult: object(
    {
      checkpoint: { ...object({ sequence: integer(), streamCount: integer(), digest: string(), changed: integer('Streams changed since the last one.') }, ['sequence', 'streamCount', 'digest', 'changed']), nullable: true },
      regressions: arrayOf(object({ streamId: string(), committedPosition: integer(), currentPosition: integer() }, ['streamId', 'committedPosition'])),
    },
    ['checkpoint', 'regressions'],
  ),
  Scope: string(
    '`admin`, `audit:read`, `app:<app>:read`, `app:<app>:deploy`, `registry:push:<host>/<repository>` (`record-push` for that repository; `<host>/<prefix>/*` every repository under the prefix, `<host>/*` every one of the host) or `registry:push` (every repository of every registry).',
    { pattern: `^(admin|audit:read|registry:push(:[^/]+/.+)?|app:${APP_SCOPE}:(read|deploy))$` },
  ),
  ApiToken: object(
    { name: string(undefined, { pattern: TOKEN_NAME_PATTERN.source }), scopes: arrayOf(ref('Scope')), createdBy: string(), createdAt: dateTime(), revokedAt: dateTime() },
    ['name', 'scopes', 'createdBy', 'createdAt'],
  ),
  RegistrySource: string(undefined, { enum: [...REGISTRY_SOURCES] }),
  Receiver: object(
    {
      id: string(),
      source: ref('RegistrySource'),
      host: string('The registry host it reports pushes for; absent for a receiver of a self-hosted source added before hosts were recorded, which refuses every delivery (403).'),
      repositoryPrefix: string('When set, only repositories equal to it or under it.'),
      url: string('What to configure in the registry: `<public URL>/v1/webhooks/registry/<id>`.'),
      createdAt: dateTime(),
      createdBy: string(),
    },
    ['id', 'source', 'url', 'createdAt', 'createdBy'],
  ),
  TagPolicy: string('`exact:TAG`, `semver:RANGE` or `glob:PATTERN`.', { pattern: '^(exact|semver|glob):.+$' }),
  Trigger: object(
    { id: string(), app: string(), image: string('`HOST/REPOSITORY`, normalised.'), tagPolicy: ref('TagPolicy'), createdAt: dateTime(), createdBy: string() },
    ['id', 'app', 'image', 'tagPolicy', 'createdAt', 'createdBy'],
  ),
  PushOutcome: pushOutcome,
  TriggerLogEntry: object(
    {
      at: dateTime(),
      triggerId: string(),
      app: string(),
      image: string(),
      tag: string(),
      digest: string(),
      pushedAt: dateTime(),
      result: string(undefined, { enum: ['deployed', 'skipped'] }),
      reason: string('Why it did not deploy, e.g. `tag policy semver:^1 rejects 2.0.0`.'),
      releaseId: string(),
      version: integer(),
    },
    ['at', 'triggerId', 'app', 'image', 'tag', 'pushedAt', 'result'],
  ),
  PushLogEntry: object(
    {
      at: dateTime(),
      pushEventId: string(),
      host: string(),
      repository: string(),
      tag: string(),
      digest: string(),
      pushedAt: dateTime(),
      source: string(),
      receiverId: string(),
      evaluation: object({ outcomes: arrayOf(ref('PushOutcome')), reason: string('Set when no trigger follows the image.') }, ['outcomes'], {
        description: 'Absent while the push is still being evaluated.',
      }),
    },
    ['at', 'pushEventId', 'host', 'repository', 'tag', 'pushedAt', 'source'],
  ),
  DeliveryAnswer: object(
    {
      pushes: arrayOf(
        object(
          { status: string('`duplicate`: already recorded, nothing written.', { enum: ['recorded', 'duplicate'] }), pushEventId: string(), host: string(), repository: string(), tag: string() },
          ['status', 'pushEventId', 'host', 'repository', 'tag'],
        ),
      ),
      ignored: integer('Authenticated items that are not pushes to deploy from (recorded with their reasons).'),
    },
    ['pushes', 'ignored'],
  ),
};
