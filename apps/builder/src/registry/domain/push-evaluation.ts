import { RegistryEventTypes, type ImagePushedData, type NormalizedPush, type TriggerFiredData } from '@hangar/contracts';
import type { RecordedEvent, TriggerDefinition } from './triggers';
import { notNewerReason, tagVerdict } from './tag-policy';

/** What a push is deduplicated on (issue 6): its delivery id; else `host/repository:tag@digest` (or `@<pushedAt>` without one). */
export function dedupeKeyOf(push: NormalizedPush): string {
  if (push.deliveryId) return `delivery:${push.source}:${push.deliveryId}`;
  return contentKeyOf(push) ?? `${push.host}/${push.repository}:${push.tag}@at:${push.pushedAt}`;
}

function contentKeyOf(push: Pick<NormalizedPush, 'host' | 'repository' | 'tag' | 'digest'>): string | undefined {
  return push.digest ? `${push.host}/${push.repository}:${push.tag}@${push.digest}` : undefined;
}

/** A newer push of the same tag already recorded in `stream` than `push` (deliveries arrive in any order). */
export function newerPushOfTag(stream: readonly RecordedEvent[], pushEventId: string, push: ImagePushedData): ImagePushedData | undefined {
  let newest: ImagePushedData | undefined;
  for (const e of stream) {
    if (e.type !== RegistryEventTypes.ImagePushed || e.eventId === pushEventId) continue;
    const d = e.data as ImagePushedData;
    if (d.tag !== push.tag || Date.parse(d.pushedAt) <= Date.parse(push.pushedAt)) continue;
    if (!newest || Date.parse(d.pushedAt) > Date.parse(newest.pushedAt)) newest = d;
  }
  return newest;
}

/** What to do about one trigger for one push, before asking the releaser. */
export type TriggerCandidate =
  | { readonly trigger: TriggerDefinition; readonly action: 'deploy' }
  | { readonly trigger: TriggerDefinition; readonly action: 'skip'; readonly reason: string };

/**
 * The triggers a push concerns: those following its image (deploy, unless the tag policy rejects
 * the tag or a newer push of the tag is already recorded), and those following the same repository
 * on another host (skipped with the reason: a push to the wrong registry is the silent miss users hit).
 */
export function triggerCandidates(push: ImagePushedData, triggers: Iterable<TriggerDefinition>, newer: ImagePushedData | undefined): TriggerCandidate[] {
  const candidates: TriggerCandidate[] = [];
  for (const trigger of triggers) {
    if (trigger.repository !== push.repository) continue;
    if (trigger.host !== push.host) {
      candidates.push({ trigger, action: 'skip', reason: `no trigger matches: pushed to ${push.host}/${push.repository}, this trigger follows ${trigger.image}` });
      continue;
    }
    const verdict = tagVerdict(trigger.policy, push.tag);
    if (!verdict.accepts) {
      candidates.push({ trigger, action: 'skip', reason: verdict.reason });
    } else if (newer) {
      candidates.push({ trigger, action: 'skip', reason: `out of order: a newer push of ${push.tag} (pushed ${newer.pushedAt}${newer.digest ? `, ${newer.digest}` : ''}) was already recorded` });
    } else {
      candidates.push({ trigger, action: 'deploy' });
    }
  }
  return candidates;
}

/**
 * Why a push a trigger's policy accepts must still not deploy, given the pushes the trigger already
 * deployed (oldest first): a semver policy never goes back to an older version, and a push older
 * than one of the same tag already deployed arrived out of order.
 */
export function historyVeto(trigger: TriggerDefinition, push: ImagePushedData, fired: readonly TriggerFiredData[]): string | undefined {
  const last = fired[fired.length - 1];
  const olderThanDeployed = fired.find((f) => f.tag === push.tag && Date.parse(f.pushedAt) > Date.parse(push.pushedAt));
  if (olderThanDeployed) {
    return `out of order: a newer push of ${push.tag} (pushed ${olderThanDeployed.pushedAt}, ${olderThanDeployed.digest}) was already deployed in v${olderThanDeployed.version}`;
  }
  return last ? notNewerReason(trigger.policy, push.tag, last.tag) : undefined;
}
