import { deployLockHolder } from './deploy-lock';

const acquired = (releaseId: string, version: number) => ({ type: 'AppLockAcquired', data: { app: 'a', releaseId, version } });
const released = (releaseId: string, version: number) => ({ type: 'AppLockReleased', data: { app: 'a', releaseId, version, status: 'complete' } });

describe('deployLockHolder', () => {
  it('is the release whose lock was acquired and not released yet', () => {
    expect(deployLockHolder([acquired('r1', 1), released('r1', 1), acquired('r2', 2)])).toEqual({ releaseId: 'r2', version: 2 });
  });

  it('is nobody once every acquired lock was released, or before any', () => {
    expect(deployLockHolder([])).toBeUndefined();
    expect(deployLockHolder([{ type: 'AppCreated', data: { app: 'a' } }, acquired('r1', 1), { type: 'ReleaseEnqueued', data: { releaseId: 'r2' } }, released('r1', 1)])).toBeUndefined();
  });

  it('ignores a release of a lock someone else holds', () => {
    expect(deployLockHolder([acquired('r2', 2), released('r1', 1)])).toEqual({ releaseId: 'r2', version: 2 });
  });
});
