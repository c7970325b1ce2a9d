import type { StoredEvent } from '@hangar/event-store';
import { queued } from './domain/release-test.fixtures';
import { summarizeRelease } from './release-summary';

function stored(type: string, data: object, position: number): StoredEvent {
  return { globalPosition: position, transactionId: '1', streamId: 'release-x', streamPosition: position, eventId: `e${position}`, type, data: data as Record<string, unknown>, metadata: {}, recordedAt: new Date(0), hash: '' };
}

describe(summarizeRelease.name, () => {
  it('shows what the deploy asked as the request names it, and what the filters did', () => {
    const asked = queued({ envOverrides: { LOG_LEVEL: 'debug' }, onlyMachines: ['0123456789abcd'], skipReleaseCommand: true, ha: false, leaseTimeoutMs: 30_000, imageLabel: 'v42' });
    const filters = { applied: ['--only-machines'], selected: 1, total: 3 };
    const sut = summarizeRelease([
      stored('ReleaseQueued', asked.data, 1),
      stored('RolloutPlanned', { image: { canonicalRef: 'r/demo:1', digest: 'sha256:ab', imageId: 'img_x' }, entries: [{ action: 'update' }, { action: 'skip' }, { action: 'skip' }], filters }, 2),
    ]);
    expect(sut.options).toEqual({ env: { LOG_LEVEL: 'debug' }, onlyMachines: ['0123456789abcd'], skipReleaseCommand: true, ha: false, leaseTimeoutMs: 30_000, imageLabel: 'v42' });
    expect(sut.filters).toEqual(filters);
    expect(sut.machines).toEqual({ total: 1, succeeded: 0, failed: 0 });
  });

  it('has no options for a deploy that asked none', () => {
    const sut = summarizeRelease([stored('ReleaseQueued', queued().data, 1)]);
    expect(sut).not.toHaveProperty('options');
    expect(sut).not.toHaveProperty('filters');
  });
});
