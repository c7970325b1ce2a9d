import type { PathsObject } from '@nestjs/swagger';
import { APP_NAME_PATTERN, IMAGE_LABEL_PATTERN, MACHINE_ID_PATTERN } from '@hangar/contracts';
import { SHOW_SCALE } from './machine.paths';
import { APP_PARAM, VERSION_PARAM, arrayOf, body, boolean, integer, object, operation, queryParam, ref, string } from './openapi-operations';

const STRATEGIES = ['rolling', 'immediate', 'canary', 'bluegreen'];
const duration = (what: string) => ({ oneOf: [string(`${what} as a duration such as \`5m\` or \`30s\`.`), integer(`${what} in milliseconds.`)] });
const APP_MISSING = 'RELEASE.APP_NOT_FOUND.';
const REGION = '^[a-z0-9-]{1,32}$';
const MACHINE_ID = MACHINE_ID_PATTERN.source;
const RELEASE_MISSING = 'RELEASE.APP_NOT_FOUND, RELEASE.NOT_FOUND.';

/** Apps, deploys, scaling and releases (`AppsController`, `ReleasesController`). */
export const APPS_PATHS: PathsObject = {
  '/v1/apps': {
    post: operation({
      operationId: 'createApp',
      tag: 'apps',
      summary: 'Create an app',
      scope: 'admin',
      requestBody: {
        required: false,
        schema: body({
          name: string('Generated like `dry-pond-1475` when omitted.', { pattern: APP_NAME_PATTERN.source }),
          app: string('Same as `name`.', { pattern: APP_NAME_PATTERN.source }),
          machines: boolean('A legacy Machines app (`apps create --machines`).'),
          org: string('The machines provider’s org the app goes in (`apps create --org`); default `HANGAR_FLY_ORG`, else `personal` on fleet. Required with `HANGAR_MACHINES_PROVIDER=fly` when `HANGAR_FLY_ORG` is unset.', { pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
        }),
      },
      description: 'Creates the provider’s app (`POST /v1/apps` of the Machines API) in the org, once; an app of that name the token can read is used as it is. Then records `AppCreated` with the provider, org and whether the app was made or found.',
      success: { status: 201, description: 'Created.', schema: object({ app: ref('AppSummary') }, ['app']) },
      errors: { 400: 'REQUEST.INVALID: a bad name or org, no org on Fly.io, or an existing provider app in another org than `org`.', 409: 'RELEASE.APP_EXISTS.', 422: 'PROVIDER.REFUSED: the machines API did not create the app (a deploy token, an unknown org, a name taken elsewhere).' },
    }),
    get: operation({
      operationId: 'listApps',
      tag: 'apps',
      summary: 'List the apps the token may read',
      scope: 'authenticated',
      success: { status: 200, description: 'The apps, by name.', schema: object({ apps: arrayOf(ref('AppSummary')) }, ['apps']) },
    }),
  },
  '/v1/apps/import': {
    post: operation({
      operationId: 'importApp',
      tag: 'apps',
      summary: 'Adopt an existing app of the machines provider (`apps import`)',
      description:
        'Lists the provider app’s machines and records them, changing nothing on the provider: machines with `fly_platform_version = v2` metadata stay managed at their `fly_release_version`, the rest unmanaged. Records `AppCreated` and `AppImported`; the app’s next release is one after the highest recorded version.',
      scope: 'admin',
      requestBody: {
        schema: body(
          {
            name: string('The provider app’s name.', { pattern: APP_NAME_PATTERN.source }),
            org: string('When given, the provider app must be in this org.', { pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
          },
          ['name'],
        ),
      },
      success: {
        status: 201,
        description: 'Imported.',
        schema: object(
          {
            app: ref('AppSummary'),
            imported: object({ org: string(), releaseVersion: integer(), managed: arrayOf(string()), unmanaged: arrayOf(string()) }, ['org', 'releaseVersion', 'managed', 'unmanaged']),
          },
          ['app', 'imported'],
        ),
      },
      errors: { 400: 'REQUEST.INVALID.', 404: 'PROVIDER.APP_NOT_FOUND: no such app this token can read.', 409: 'RELEASE.APP_EXISTS: Hangar has that app already.' },
    }),
  },
  '/v1/apps/{app}': {
    get: operation({
      operationId: 'getApp',
      tag: 'apps',
      summary: 'Show an app',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The app.', schema: object({ app: ref('AppSummary') }, ['app']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: APP_MISSING },
    }),
    delete: operation({
      operationId: 'destroyApp',
      tag: 'apps',
      summary: 'Destroy an app: its machines and volumes go, its history stays',
      description:
        'Refused while a release is running or queued. Records `AppDestroyed` (with the machines and volumes about to go; the app’s IP addresses go back to their pools), then destroys the machines and volumes before answering (`teardown: complete`), or, when that takes over a minute, finishes in the background (`pending`). The app’s streams stay for audit; its name cannot be used again, for a deploy or a new app.',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'Destroyed.', schema: object({ destroyed: ref('DestroyedApp') }, ['destroyed']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: `${APP_MISSING} (also for an app destroyed already)`, 409: 'RELEASE.APP_BUSY: a release is running or queued (`details.releases`).' },
    }),
  },
  '/v1/apps/{app}/config': {
    get: operation({
      operationId: 'getAppConfig',
      tag: 'apps',
      summary: 'The config of the app’s current release',
      description: 'The normalised config (the shape `hangar config validate --json` prints) of the app’s last complete release, as that release recorded it. Secret values are never part of it.',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The config.', schema: ref('CurrentConfig') },
      errors: { 400: 'REQUEST.INVALID: not an app name; RELEASE.NO_RELEASE: no complete release yet.', 404: APP_MISSING },
    }),
  },
  '/v1/apps/{app}/deploys': {
    post: operation({
      operationId: 'deploy',
      tag: 'releases',
      summary: 'Deploy: queue a release',
      description: 'The release is queued and runs in the background; follow it with `GET …/releases/{version}/events?follow=true`. With `dryRun` nothing is written and the answer is the plan.',
      scope: 'app:deploy',
      parameters: [APP_PARAM, { name: 'X-Hangar-Client', in: 'header', required: false, description: '`cli` records the release trigger as `cli` (else `api`).', schema: { type: 'string' } }],
      requestBody: {
        schema: body(
          {
            configToml: string('fly.toml text (at most 1 MiB). Required unless `config` is given.', { maxLength: 1024 * 1024 }),
            config: object({}, [], { additionalProperties: true, description: 'The app config as JSON, instead of `configToml`.' }),
            image: string('Image reference; defaults to the config’s `[build] image`.', { maxLength: 512 }),
            strategy: string(undefined, { enum: STRATEGIES }),
            maxUnavailable: { type: 'number', description: 'Machines updated at once: a count (≥ 1) or a fraction (0 < x < 1).', minimum: 0, exclusiveMinimum: true },
            waitTimeout: duration('How long to wait for each machine'),
            releaseCommandTimeout: { oneOf: [string('A duration such as `5m`, or `none` for no limit.'), integer('Milliseconds.')], description: 'How long the release command may run.' },
            dryRun: boolean('Plan only; write nothing.'),
            migrateToV2: boolean('Confirms migrating a legacy app (else `RELEASE.MIGRATION_REQUIRED`).'),
            allowVolumeDetach: boolean('`deploy --yes`: removing `[mounts]` may detach volumes.'),
            processGroups: arrayOf(string(), '`--process-groups`: roll only these process groups; only they get or lose machines.'),
            env: object({}, [], { additionalProperties: { type: 'string' }, description: '`-e NAME=VALUE`: merged over `[env]` for this release and recorded in it. Names must not start with `FLY_` nor be one of the app’s secrets.' }),
            imageLabel: string('`--image-label`: recorded only; Hangar builds and pushes no image to tag yet.', { pattern: IMAGE_LABEL_PATTERN.source }),
            skipReleaseCommand: boolean('`--skip-release-command`: run no `[deploy] release_command`.'),
            updateOnly: boolean('`--update-only`: create no machines for process groups that have none.'),
            ha: boolean('`--ha` (default true): `false` gives a group with no machine 1 machine instead of 2.'),
            leaseTimeout: duration('`--lease-timeout` (default 13s, 2s to 24h): TTL of the lease each machine update holds'),
            onlyRegions: arrayOf(string(undefined, { pattern: REGION }), '`--regions`/`--only-regions`: deploy only to machines in these regions.'),
            excludeRegions: arrayOf(string(undefined, { pattern: REGION }), '`--exclude-regions`: leave machines in these regions alone.'),
            onlyMachines: arrayOf(string(undefined, { pattern: MACHINE_ID }), '`--only-machines`: deploy only to these machines.'),
            excludeMachines: arrayOf(string(undefined, { pattern: MACHINE_ID }), '`--exclude-machines`: leave these machines alone.'),
          },
          [],
          'One of `configToml` or `config` is required.',
        ),
      },
      success: {
        status: 202,
        description: 'Queued (`release`), or the plan of a dry run (`dryRun`).',
        schema: { oneOf: [object({ release: ref('Release') }, ['release']), object({ dryRun: ref('DryRunPlan') }, ['dryRun'])] },
      },
      errors: {
        400: 'CONFIG.* (invalid config), RELEASE.MIGRATION_REQUIRED (`details: { app, machines }`), IMAGE.* (bad reference).',
        404: APP_MISSING,
        409: '*.CONFLICT: a concurrent change; retry.',
      },
    }),
  },
  '/v1/apps/{app}/scale': {
    get: SHOW_SCALE,
    post: operation({
      operationId: 'scale',
      tag: 'apps',
      summary: 'Scale a process group on the current release (no new release)',
      scope: 'app:deploy',
      parameters: [APP_PARAM],
      requestBody: {
        schema: body(
          {
            count: integer(undefined, { minimum: 0, maximum: 1000 }),
            processGroup: string('Defaults to `app`, else the first group.', { pattern: '^[a-z0-9_-]{1,63}$' }),
            region: string('Defaults to the config’s primary region.', { pattern: '^[a-z0-9-]{1,32}$' }),
          },
          ['count'],
        ),
      },
      success: {
        status: 201,
        description: 'The machine operations were requested.',
        schema: object(
          { scale: object({ app: string(), processGroup: string(), from: integer(), to: integer(), created: integer(), destroyed: integer() }, ['app', 'processGroup', 'from', 'to', 'created', 'destroyed']) },
          ['scale'],
        ),
      },
      errors: { 400: 'RELEASE.NO_RELEASE: nothing deployed yet; an unknown process group.', 404: APP_MISSING },
    }),
  },
  '/v1/apps/{app}/releases': {
    get: operation({
      operationId: 'listReleases',
      tag: 'releases',
      summary: 'List releases, newest first',
      scope: 'app:read',
      parameters: [APP_PARAM],
      success: { status: 200, description: 'The releases.', schema: object({ releases: arrayOf(ref('ReleaseSummary')) }, ['releases']) },
      errors: { 400: 'REQUEST.INVALID: not an app name.', 404: APP_MISSING },
    }),
  },
  '/v1/apps/{app}/releases/{version}': {
    get: operation({
      operationId: 'getRelease',
      tag: 'releases',
      summary: 'Show a release',
      scope: 'app:read',
      parameters: [APP_PARAM, VERSION_PARAM],
      success: { status: 200, description: 'The release.', schema: object({ release: ref('ReleaseSummary') }, ['release']) },
      errors: { 400: 'REQUEST.INVALID: bad version.', 404: RELEASE_MISSING },
    }),
  },
  '/v1/apps/{app}/releases/{version}/events': {
    get: operation({
      operationId: 'releaseEvents',
      tag: 'releases',
      summary: 'A release’s events',
      description:
        'JSON by default. With `?follow=true` (or `Accept: text/event-stream`) a `text/event-stream`: one `event: <type>` / `data: <StoredEvent JSON>` per event (`id` = stream position), `: keep-alive` comments every 15 s, and `event: end` when the release has finished (`follow`) or the events so far were sent.',
      scope: 'app:read',
      parameters: [APP_PARAM, VERSION_PARAM, queryParam('follow', '`true` or `1`: stream until the release ends.', { type: 'string', enum: ['true', '1', 'false'] })],
      success: {
        status: 200,
        description: 'The events in stream order.',
        content: {
          'application/json': { schema: object({ release: ref('ReleaseSummary'), events: arrayOf(ref('StoredEvent')) }, ['release', 'events']) },
          'text/event-stream': { schema: string('Server-sent events.') },
        },
      },
      errors: { 400: 'REQUEST.INVALID: bad version.', 404: RELEASE_MISSING, 429: 'REQUEST.TOO_MANY_STREAMS: the caller already follows 20 event streams, or the gateway 200.' },
    }),
  },
  '/v1/apps/{app}/releases/{version}/rollback': {
    post: operation({
      operationId: 'rollbackRelease',
      tag: 'releases',
      summary: 'Roll back: queue a release of an earlier complete release’s image and config',
      scope: 'app:deploy',
      parameters: [
        APP_PARAM,
        { ...VERSION_PARAM, description: 'The release to return to, `v3` or `3`, or `previous` (the last complete release before the current one).', schema: { type: 'string', pattern: '^(v?[0-9]{1,9}|previous)$' } },
        queryParam('restoreSecrets', '`true`: also use that release’s secrets version.', { type: 'string', enum: ['true', 'false'] }),
      ],
      requestBody: { required: false, schema: body({ restoreSecrets: boolean('Same as `?restoreSecrets=true`.') }) },
      success: { status: 202, description: 'The rollback release was queued.', schema: object({ release: ref('Release') }, ['release']) },
      errors: { 400: 'The target is not a complete release, or never resolved an image.', 404: `${RELEASE_MISSING} (no earlier complete release).` },
    }),
  },
  '/v1/apps/{app}/releases/{version}/cancel': {
    post: operation({
      operationId: 'cancelRelease',
      tag: 'releases',
      summary: 'Cancel a queued or running release',
      scope: 'app:deploy',
      parameters: [APP_PARAM, VERSION_PARAM],
      success: { status: 202, description: 'Cancellation recorded.', schema: object({ release: ref('Release') }, ['release']) },
      errors: { 400: 'REQUEST.INVALID: bad version; RELEASE.ALREADY_FINISHED.', 404: RELEASE_MISSING },
    }),
  },
};
