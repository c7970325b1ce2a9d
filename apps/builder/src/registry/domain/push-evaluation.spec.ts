import { RegistryEventTypes, type ImagePushedData, type TriggerFiredData } from '@hangar/contracts';
import { dedupeKeyOf, historyVeto, newerPushOfTag, triggerCandidates } from './push-evaluation';
import { parseTagPolicy } from './tag-policy';
import type { RecordedEvent, TriggerDefinition } from './triggers';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const push = (over: Partial<ImagePushedData> = {}): ImagePushedData => {
  const p = { host: 'ghcr.io', repository: 'acme/web', tag: '1.0.0', digest: D1, pushedAt: '2026-11-26T10:00:00.000Z', source: 'ghcr', ...over };
  return { ...p, dedupeKey: dedupeKeyOf(p) };
};
let n = 0;
const recorded = (data: ImagePushedData): RecordedEvent => ({ eventId: `e${++n}`, type: RegistryEventTypes.ImagePushed, data, recordedAt: new Date() });
const trigger = (image: string, policy: string, id = 'T1'): TriggerDefinition => {
  const [host, ...rest] = image.split('/');
  return { triggerId: id, app: 'web', host: host!, repository: rest.join('/'), image, policy: parseTagPolicy(policy), createdAt: new Date(), createdBy: 'me' };
};

describe(newerPushOfTag.name, () => {
  it('finds a later push of the same tag, not of others', () => {
    const later = recorded(push({ digest: D2, pushedAt: '2026-11-26T11:00:00.000Z' }));
    const other = recorded(push({ tag: '2.0.0', pushedAt: '2026-11-26T12:00:00.000Z' }));
    expect(newerPushOfTag([later, other], 'me', push())).toBe(later.data);
    expect(newerPushOfTag([later], 'me', push({ pushedAt: '2026-11-26T11:30:00.000Z' }))).toBeUndefined();
  });
});

describe(triggerCandidates.name, () => {
  it('deploys matching triggers, says why the others do not, ignores other repositories', () => {
    const triggers = [
      trigger('ghcr.io/acme/web', 'semver:^1', 'A'),
      trigger('ghcr.io/acme/web', 'exact:latest', 'B'),
      trigger('docker.io/acme/web', 'semver:^1', 'C'),
      trigger('ghcr.io/acme/api', 'semver:^1', 'D'),
    ];
    expect(triggerCandidates(push(), triggers, undefined)).toEqual([
      { trigger: triggers[0], action: 'deploy' },
      { trigger: triggers[1], action: 'skip', reason: 'tag policy exact:latest rejects 1.0.0' },
      { trigger: triggers[2], action: 'skip', reason: 'no trigger matches: pushed to ghcr.io/acme/web, this trigger follows docker.io/acme/web' },
    ]);
  });

  it('skips a push older than one of the same tag already recorded', () => {
    const newer = push({ digest: D2, pushedAt: '2026-11-26T11:00:00.000Z' });
    const [c] = triggerCandidates(push(), [trigger('ghcr.io/acme/web', 'glob:*')], newer);
    expect(c).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^out of order: a newer push of 1\.0\.0 \(pushed 2026-11-26T11:00:00\.000Z/) });
  });
});

describe(historyVeto.name, () => {
  const fired = (tag: string, pushedAt: string, version: number): TriggerFiredData => ({
    triggerId: 'T1', app: 'web', pushEventId: 'p', host: 'ghcr.io', repository: 'acme/web', tag, digest: D2, pushedAt, releaseId: 'r', version,
  });
  it('semver never goes back; an older push of a deployed tag is out of order', () => {
    const semverTrigger = trigger('ghcr.io/acme/web', 'semver:^1');
    expect(historyVeto(semverTrigger, push({ tag: '1.1.0' }), [fired('1.2.0', '2026-11-26T09:00:00.000Z', 3)])).toMatch(/1\.1\.0 is not newer than 1\.2\.0/);
    expect(historyVeto(semverTrigger, push({ tag: '1.3.0' }), [fired('1.2.0', '2026-11-26T09:00:00.000Z', 3)])).toBeUndefined();
    const latest = trigger('ghcr.io/acme/web', 'exact:latest');
    expect(historyVeto(latest, push({ tag: 'latest' }), [fired('latest', '2026-11-26T11:00:00.000Z', 4)])).toMatch(/^out of order: .* already deployed in v4/);
    expect(historyVeto(latest, push({ tag: 'latest' }), [fired('latest', '2026-11-26T09:00:00.000Z', 4)])).toBeUndefined();
  });
});
