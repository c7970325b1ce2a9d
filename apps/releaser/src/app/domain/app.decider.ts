import { APP_NAME_PATTERN, ErrorCodes, HangarError } from '@hangar/contracts';
import type { AllocateIp, AppCommand, CreateApp, DestroyApp, EnqueueRelease, FinishRelease, ImportApp, Instant, MigrateToV2, ReleaseIp } from './app.commands';
import type { AppEvent, AppIp, AppLockAcquired, PlatformVersion, QueuedRelease } from './app.events';

export type { AppCommand } from './app.commands';

export type { AppEvent } from './app.events';

/** The app stream `app-<name>` folded: its per-app deploy queue and lock (DESIGN §5 step 1, G4). */
export type AppState = {
  readonly exists: boolean;
  readonly app: string;
  readonly platformVersion: PlatformVersion;
  /** Highest version handed out; versions are never reused. */
  readonly lastVersion: number;
  /** Waiting releases, oldest first. */
  readonly queue: readonly QueuedRelease[];
  /** The app's one running release, the lock holder. */
  readonly running?: QueuedRelease;
  readonly lastComplete?: QueuedRelease;
  /** Every release ever enqueued → its version, so a retried enqueue is recognised. */
  readonly versions: Readonly<Record<string, number>>;
  readonly createdAt: string;
  /** IP addresses the app holds, in allocation order. */
  readonly ips: readonly AppIp[];
  /** Set once the app is destroyed (`exists` is then false again, and stays so: the name is retired). */
  readonly destroyedAt?: string;
  /** The provider's org the app is in, when recorded. */
  readonly org?: string;
  /** `apps import`: the release version the provider's machines were at. */
  readonly importedVersion?: number;
};

export function initialState(): AppState {
  return { exists: false, app: '', platformVersion: 'v2', lastVersion: 0, queue: [], versions: {}, createdAt: '', ips: [] };
}

export function evolve(state: AppState, event: AppEvent): AppState {
  switch (event.type) {
    case 'AppCreated':
      return {
        ...state,
        exists: true,
        app: event.data.app,
        platformVersion: event.data.platformVersion,
        createdAt: event.data.createdAt,
        ...(event.data.org ? { org: event.data.org } : {}),
      };
    case 'AppImported':
      // Versions are never reused: the provider's recorded releases count as handed out.
      return { ...state, lastVersion: Math.max(state.lastVersion, event.data.releaseVersion), importedVersion: event.data.releaseVersion };
    case 'ReleaseEnqueued': {
      const { releaseId, version } = event.data;
      return {
        ...state,
        lastVersion: Math.max(state.lastVersion, version),
        queue: [...state.queue, { releaseId, version }],
        versions: { ...state.versions, [releaseId]: version },
      };
    }
    case 'AppLockAcquired': {
      const { releaseId, version } = event.data;
      return { ...state, queue: state.queue.filter((q) => q.releaseId !== releaseId), running: { releaseId, version } };
    }
    case 'AppLockReleased': {
      const { releaseId, version, status } = event.data;
      const running = state.running?.releaseId === releaseId ? undefined : state.running;
      const lastComplete = status === 'complete' ? { releaseId, version } : state.lastComplete;
      return { ...state, running, lastComplete };
    }
    case 'ScaleRequested':
      return state;
    case 'ReleaseDequeued':
      return { ...state, queue: state.queue.filter((q) => q.releaseId !== event.data.releaseId) };
    case 'IpAllocated': {
      const { app: _app, ...ip } = event.data;
      return { ...state, ips: [...state.ips, ip] };
    }
    case 'IpReleased':
      return { ...state, ips: state.ips.filter((ip) => ip.address !== event.data.address) };
    case 'ProviderIpAllocated':
    case 'ProviderIpReleased':
      // The provider's list is the truth for these (`ips list` asks it); nothing here depends on them.
      return state;
    case 'AppMigratedToV2':
      return { ...state, platformVersion: 'v2' };
    case 'AppDestroyed':
      return { ...state, exists: false, destroyedAt: event.data.destroyedAt };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decide(command: AppCommand, state: AppState): AppEvent[] {
  switch (command.type) {
    case 'CreateApp':
      return createApp(command, state);
    case 'ImportApp':
      return importApp(command, state);
    case 'EnqueueRelease':
      return enqueueRelease(command, state);
    case 'FinishRelease':
      return finishRelease(command, state);
    case 'AllocateIp':
      return allocateIp(command, state);
    case 'ReleaseIp':
      return releaseIp(command, state);
    case 'MigrateToV2':
      return migrateToV2(command, state);
    case 'DestroyApp':
      return destroyApp(command, state);
    default: {
      const unknown: never = command;
      throw new HangarError(ErrorCodes.INTERNAL, `unknown app command ${JSON.stringify(unknown)}`);
    }
  }
}

/** The app decider: `decide`, `evolve`, `initialState` (STYLE.md Shape 1). */
export const appDecider = { decide, evolve, initialState } as const;

/**
 * An imported app is a v2 app: machines with v2 metadata are deploy's, the rest are left alone
 * (as `machine run` ones are). A legacy migration would adopt those, which import must not do.
 */
function importApp(command: ImportApp, state: AppState): AppEvent[] {
  const created = createApp({ type: 'CreateApp', app: command.app, platformVersion: 'v2', ...(command.provider ? { provider: command.provider } : {}), now: command.now }, state);
  if (!command.provider) return created;
  const managed = command.machines.filter((m) => m.managed);
  const releaseVersion = Math.max(0, ...managed.map((m) => m.releaseVersion ?? 0));
  return [
    ...created,
    {
      type: 'AppImported',
      data: {
        app: command.app,
        org: command.provider.org,
        releaseVersion,
        managed: managed.map((m) => ({ machineId: m.id, processGroup: m.processGroup, ...(m.releaseVersion === undefined ? {} : { releaseVersion: m.releaseVersion }) })),
        unmanaged: command.machines.filter((m) => !m.managed).map((m) => m.id),
      },
    },
  ];
}

function createApp(command: CreateApp, state: AppState): AppEvent[] {
  if (state.exists) throw new HangarError(ErrorCodes.APP_EXISTS, `app ${command.app} already exists`, { app: command.app });
  // Its streams (releases, secrets, machines) stay for audit, and would read as the new app's history.
  if (state.destroyedAt) {
    throw new HangarError(ErrorCodes.APP_EXISTS, `app name ${command.app} belonged to an app destroyed at ${state.destroyedAt}; the names of destroyed apps are not used again`, {
      app: command.app,
      destroyedAt: state.destroyedAt,
    });
  }
  if (!APP_NAME_PATTERN.test(command.app)) {
    throw new HangarError(ErrorCodes.VALIDATION, `invalid app name "${command.app}"`, { app: command.app });
  }
  return [{ type: 'AppCreated', data: { app: command.app, platformVersion: command.platformVersion, createdAt: isoOf(command.now), ...(command.provider ?? {}) } }];
}

function enqueueRelease(command: EnqueueRelease, state: AppState): AppEvent[] {
  if (!state.exists) throw missingApp(command.app, state);
  // A retried command (after a version conflict or a redelivery) must not enqueue the release twice.
  if (command.releaseId in state.versions) return [];
  const version = state.lastVersion + 1;
  const events: AppEvent[] = [
    { type: 'ReleaseEnqueued', data: { app: state.app, releaseId: command.releaseId, version, trigger: command.trigger } },
  ];
  if (!state.running && state.queue.length === 0) events.push(lockAcquired(state.app, { releaseId: command.releaseId, version }));
  return events;
}

function finishRelease(command: FinishRelease, state: AppState): AppEvent[] {
  const running = state.running;
  const waiting = state.queue.find((q) => q.releaseId === command.releaseId);
  if (waiting && command.status === 'cancelled') {
    return [{ type: 'ReleaseDequeued', data: { app: state.app, releaseId: waiting.releaseId, version: waiting.version } }];
  }
  // Only the holder can let go; anything else is a late or duplicate message.
  if (!running || running.releaseId !== command.releaseId) return [];
  const events: AppEvent[] = [
    { type: 'AppLockReleased', data: { app: state.app, releaseId: running.releaseId, version: running.version, status: command.status } },
  ];
  const next = state.queue[0];
  if (next) events.push(lockAcquired(state.app, next));
  return events;
}

function allocateIp(command: AllocateIp, state: AppState): AppEvent[] {
  if (!state.exists) throw appNotFound(command.app);
  const held = state.ips.find((ip) => ip.address === command.address || (command.shared && ip.shared));
  if (held) {
    throw new HangarError('IP.ALREADY_ALLOCATED', `app ${state.app} already has the ${held.shared ? 'shared ' : ''}IP${held.type} address ${held.address}`, {
      app: state.app,
      address: held.address,
    });
  }
  const ip: AppIp = { address: command.address, type: command.ipType, shared: command.shared, allocatedAt: isoOf(command.now) };
  return [{ type: 'IpAllocated', data: { app: state.app, ...ip } }];
}

function releaseIp(command: ReleaseIp, state: AppState): AppEvent[] {
  if (!state.exists) throw appNotFound(command.app);
  const ip = state.ips.find((i) => i.address === command.address);
  if (!ip) {
    throw new HangarError('IP.NOT_FOUND', `app ${state.app} has no IP address ${command.address}: see \`hangar ips list\``, { app: state.app, address: command.address });
  }
  return [{ type: 'IpReleased', data: { app: state.app, address: ip.address, type: ip.type, shared: ip.shared } }];
}

/** Legacy → v2 once; a second confirmation (a concurrent deploy's) changes nothing. */
function migrateToV2(command: MigrateToV2, state: AppState): AppEvent[] {
  if (!state.exists) throw appNotFound(command.app);
  if (state.platformVersion === 'v2') return [];
  return [{ type: 'AppMigratedToV2', data: { app: state.app, machineIds: [...command.machineIds] } }];
}

/** Only an idle app can go: a running or queued release must finish or be cancelled first. */
function destroyApp(command: DestroyApp, state: AppState): AppEvent[] {
  if (!state.exists) throw missingApp(command.app, state);
  const busy = [...(state.running ? [state.running] : []), ...state.queue];
  if (busy.length > 0) {
    const listed = busy.map((r) => `v${r.version}`).join(', ');
    throw new HangarError(
      ErrorCodes.APP_BUSY,
      `app ${state.app} has releases in flight (${listed}): wait for them to finish or cancel them with \`hangar releases cancel vN\`, then destroy it`,
      { app: state.app, releases: busy.map((r) => r.version) },
    );
  }
  return [
    {
      type: 'AppDestroyed',
      data: { app: state.app, destroyedAt: isoOf(command.now), machines: command.machines.map((m) => ({ ...m })), volumes: command.volumes.map((v) => ({ ...v })) },
    },
  ];
}

/** Not found, saying so when the app was destroyed rather than never created. */
export function missingApp(app: string, state: Pick<AppState, 'destroyedAt'>): HangarError {
  if (!state.destroyedAt) return appNotFound(app);
  return new HangarError(ErrorCodes.APP_NOT_FOUND, `app ${app} was destroyed at ${state.destroyedAt}; its history is kept (\`hangar audit -a ${app}\`)`, {
    app,
    destroyedAt: state.destroyedAt,
  });
}

function lockAcquired(app: string, release: QueuedRelease): AppLockAcquired {
  return { type: 'AppLockAcquired', data: { app, releaseId: release.releaseId, version: release.version } };
}

function appNotFound(app: string): HangarError {
  return new HangarError(ErrorCodes.APP_NOT_FOUND, `app ${app} not found`, { app });
}

function isoOf(now: Instant): string {
  return (typeof now === 'string' ? new Date(now) : now).toISOString();
}
