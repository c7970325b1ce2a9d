import type { AppSummary } from '@hangar/contracts';

/** What `apps show` needs of each machine (`status --json`'s machine). */
export interface MachineBrief {
  state: string;
  managed: boolean;
  releaseVersion?: number;
  image: string;
}

/**
 * `pending`: never completely deployed; `deploying`: a release holds the app; `deployed`: at least one
 * machine started; `suspended`: deployed, but no machine started (all stopped, or scaled to zero).
 */
export type AppStatus = 'pending' | 'deploying' | 'deployed' | 'suspended';

/** `hangar apps show --json`'s `app`. */
export interface AppOverview extends AppSummary {
  /** Where the local edge answers for the app (`<app>.localhost`, as Fly's `<app>.fly.dev`). */
  hostname: string;
  status: AppStatus;
  /** The image of the managed machines on the highest release version (as `fly status` picks it). */
  image?: string;
  machines: { total: number; managed: number; unmanaged: number; byState: Record<string, number> };
}

/** The edge routes `Host: <app>.localhost` (fleet's edge proxy). */
export const EDGE_HOST_SUFFIX = '.localhost';

export function appOverview(app: AppSummary, machines: readonly MachineBrief[]): AppOverview {
  const byState: Record<string, number> = {};
  for (const m of machines) byState[m.state] = (byState[m.state] ?? 0) + 1;
  const newest = machines.filter((m) => m.managed && m.releaseVersion !== undefined).sort((a, b) => b.releaseVersion! - a.releaseVersion!)[0];
  const managed = machines.filter((m) => m.managed).length;
  return {
    ...app,
    hostname: `${app.name}${EDGE_HOST_SUFFIX}`,
    status: statusOf(app, byState),
    ...(newest ? { image: newest.image } : {}),
    machines: { total: machines.length, managed, unmanaged: machines.length - managed, byState },
  };
}

function statusOf(app: AppSummary, byState: Record<string, number>): AppStatus {
  if (app.runningRelease) return 'deploying';
  if (!app.currentRelease) return 'pending';
  return (byState.started ?? 0) > 0 ? 'deployed' : 'suspended';
}

/** `fly status`'s vertical table: `App` then `  Key = value` lines, keys padded to one width. */
export function overviewLines(o: AppOverview): string[] {
  const states = Object.entries(o.machines.byState)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  const rows: [string, string][] = [
    ['Name', o.name],
    ['Hostname', o.hostname],
    ['Platform', o.platformVersion],
    ['Status', o.status],
    ['Current release', o.currentRelease ? `v${o.currentRelease.version}` : '-'],
    ...(o.runningRelease ? [['Running release', `v${o.runningRelease.version}`] as [string, string]] : []),
    ...(o.queuedReleases.length > 0 ? [['Queued releases', o.queuedReleases.map((r) => `v${r.version}`).join(', ')] as [string, string]] : []),
    ['Image', o.image ?? '-'],
    ['Machines', o.machines.total === 0 ? '0' : `${o.machines.total} (${states}; ${o.machines.managed} managed, ${o.machines.unmanaged} unmanaged)`],
    ['Created', o.createdAt],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return ['App', ...rows.map(([k, v]) => `  ${k.padEnd(width)} = ${v}`)];
}
