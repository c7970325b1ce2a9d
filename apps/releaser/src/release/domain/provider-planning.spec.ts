import type { MachineUpdateRequestedData } from '@hangar/contracts';
import { releaseDecider, type ReleaseCommand, type ReleaseEvent } from './release.decider';
import { IMAGE, LATER, appConfig, fold, machine, queued, started } from './release-test.fixtures';
import type { ResolvedImage } from './release.events';

const requests = (events: readonly ReleaseEvent[]): MachineUpdateRequestedData[] => events.flatMap((e) => (e.type === 'MachineUpdateRequested' ? [e.data] : []));
const plan = (over: Partial<Extract<ReleaseCommand, { type: 'PlanRollout' }>> = {}): ReleaseCommand => ({ type: 'PlanRollout', image: IMAGE, machines: [], now: LATER, ...over });
const PUBLIC_IMAGE: ResolvedImage = { ref: 'ghcr.io/acme/demo:1', canonicalRef: 'ghcr.io/acme/demo:1', digest: `sha256:${'cd'.repeat(32)}`, imageId: 'img_fedcba9876543210' };

describe('releaseDecider PlanRollout and the machines provider', () => {
  describe('regions (issue 14 point 2)', () => {
    it('sends no region for the first machines of an app without primary_region, so the platform chooses', () => {
      const events = releaseDecider.decide(plan(), fold([queued(), started()]));
      const creates = requests(events);
      expect(creates.length).toBeGreaterThan(0);
      for (const request of creates) {
        expect(request.kind).toBe('create');
        expect(request).not.toHaveProperty('region');
      }
      const planned = events.find((e) => e.type === 'RolloutPlanned');
      expect(planned?.type === 'RolloutPlanned' && planned.data.entries.every((e) => !('region' in e))).toBe(true);
    });

    it('runs the release command without a region when there is no primary_region, and in it when there is', () => {
      const withoutRegion = requests(releaseDecider.decide(plan(), fold([queued({ config: appConfig({ deploy: { releaseCommand: 'bin/migrate' } }) }), started()])));
      expect(withoutRegion.map((r) => r.kind)).toEqual(['release-command']);
      expect(withoutRegion[0]).not.toHaveProperty('region');
      const inPrimary = requests(releaseDecider.decide(plan(), fold([queued({ config: appConfig({ primaryRegion: 'ams', deploy: { releaseCommand: 'bin/migrate' } }) }), started()])));
      expect(inPrimary[0]?.region).toBe('ams');
    });

    it('still follows the region of the machines the app has', () => {
      const creates = requests(releaseDecider.decide(plan({ machines: [machine(1, { managed: false, region: 'syd' })] }), fold([queued(), started()])));
      expect(creates.every((r) => r.region === 'syd')).toBe(true);
    });
  });

  describe('images Fly.io can pull (issue 14 point 11)', () => {
    it('fails the release at plan time, touching nothing, for a loopback registry under fly', () => {
      const state = fold([queued({ config: appConfig({ deploy: { releaseCommand: 'bin/migrate' } }) }), started()]);
      const events = releaseDecider.decide(plan({ provider: 'fly', machines: [machine(1)] }), state);
      expect(events.map((e) => e.type)).toEqual(['ReleaseFailed']);
      expect(requests(events)).toEqual([]);
      const failed = events[0]!;
      expect(failed.type === 'ReleaseFailed' && failed.data.reason).toBe(
        `image 127.0.0.1:5000/demo:1@${IMAGE.digest} cannot be pulled by Fly.io: its registry 127.0.0.1:5000 is a loopback address, reachable only from the host it runs on. ` +
          'Push the image to a registry Fly.io can reach (registry.fly.io/<app>, Docker Hub, ghcr.io, …) and deploy that reference',
      );
    });

    it('plans as before on fleet, and under fly for a public registry', () => {
      const state = fold([queued(), started()]);
      expect(releaseDecider.decide(plan({ provider: 'fleet' }), state).map((e) => e.type)).toContain('RolloutPlanned');
      expect(releaseDecider.decide(plan(), state).map((e) => e.type)).toContain('RolloutPlanned');
      expect(releaseDecider.decide(plan({ provider: 'fly', image: PUBLIC_IMAGE }), state).map((e) => e.type)).toContain('RolloutPlanned');
    });
  });
});
