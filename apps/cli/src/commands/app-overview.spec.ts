import type { AppSummary } from '@hangar/contracts';
import { appOverview, overviewLines, type MachineBrief } from './app-overview';

const app: AppSummary = { name: 'demo', platformVersion: 'v2', createdAt: '2026-05-01T12:00:00.000Z', currentRelease: { id: 'r3', version: 3 }, queuedReleases: [] };
const machine = (state: string, releaseVersion: number | undefined, managed = true): MachineBrief => ({ state, managed, image: `img:v${releaseVersion ?? 'x'}`, ...(releaseVersion ? { releaseVersion } : {}) });

describe(appOverview.name, () => {
  it('counts machines by state and kind, and takes the image of the newest managed release', () => {
    const o = appOverview(app, [machine('started', 2), machine('started', 3), machine('stopped', 3), machine('started', undefined, false)]);
    expect(o).toMatchObject({ hostname: 'demo.localhost', status: 'deployed', image: 'img:v3', machines: { total: 4, managed: 3, unmanaged: 1, byState: { started: 3, stopped: 1 } } });
  });

  it('is pending before its first complete release, deploying while a release holds it, suspended with no machine started', () => {
    expect(appOverview({ ...app, currentRelease: undefined }, []).status).toBe('pending');
    expect(appOverview({ ...app, runningRelease: { id: 'r4', version: 4 } }, [machine('started', 3)]).status).toBe('deploying');
    expect(appOverview(app, [machine('stopped', 3)]).status).toBe('suspended');
    expect(appOverview(app, []).status).toBe('suspended');
  });

  it('prints fly status style lines', () => {
    expect(overviewLines(appOverview({ ...app, queuedReleases: [{ id: 'r5', version: 5 }] }, [machine('started', 3), machine('stopped', 3)]))).toEqual([
      'App',
      '  Name            = demo',
      '  Hostname        = demo.localhost',
      '  Platform        = v2',
      '  Status          = deployed',
      '  Current release = v3',
      '  Queued releases = v5',
      '  Image           = img:v3',
      '  Machines        = 2 (1 started, 1 stopped; 2 managed, 0 unmanaged)',
      '  Created         = 2026-05-01T12:00:00.000Z',
    ]);
  });
});
