import { Inject, Injectable, Logger } from '@nestjs/common';
import { HangarError, RegistryEventTypes, streams, type ImagePushedData, type PushEvaluatedData, type PushOutcome, type RegistryReleaseRequest, type TriggerFiredData } from '@hangar/contracts';
import { EVENT_STORE, type EventStore, type Tx } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { ImageResolver } from '../image/image.resolver';
import { authorizedDigest, type TagResolution } from './domain/push-authorization';
import { historyVeto, newerPushOfTag, triggerCandidates, type TriggerCandidate } from './domain/push-evaluation';
import { foldTriggers } from './domain/triggers';
import { recorded } from './domain/triggers';

/** Runs the append in the transaction that also marks the consumed message processed. */
export type EvaluationCommit = (write: (tx: Tx) => Promise<void>) => Promise<void>;

/**
 * Matches a recorded push against the image triggers (issue 6) and asks releaser to deploy, or to
 * record why not, once per (trigger, push); then records `PushEvaluated` in the push's stream.
 * Every push that would deploy is checked against the registry (or its mirror): a push without a
 * digest (Docker Hub, Quay) deploys the digest its tag resolves to, and one with a digest deploys
 * only if its tag resolves to that digest (issue 12, review H4), else it is skipped with the reason.
 */
@Injectable()
export class PushEvaluator {
  private readonly logger = new Logger(PushEvaluator.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
    private readonly images: ImageResolver,
  ) {}

  async evaluate(pushEventId: string, streamId: string, push: ImagePushedData, actor: string, commit: EvaluationCommit): Promise<void> {
    const stream = (await this.store.readStream(streamId)).map(recorded);
    if (stream.some((e) => e.type === RegistryEventTypes.PushEvaluated && (e.data as PushEvaluatedData).pushEventId === pushEventId)) return;
    const triggers = foldTriggers((await this.store.readStream(streams.triggers())).map(recorded));
    const candidates = triggerCandidates(push, triggers.values(), newerPushOfTag(stream, pushEventId, push));
    const outcomes: PushOutcome[] = [];
    let tag: Promise<TagResolution> | undefined;
    const resolveTag = (): Promise<TagResolution> => (tag ??= this.resolveTag(push));
    for (const candidate of candidates) outcomes.push(await this.settle(candidate, pushEventId, push, actor, resolveTag));
    const data: PushEvaluatedData = {
      pushEventId,
      host: push.host,
      repository: push.repository,
      tag: push.tag,
      outcomes,
      ...(candidates.length === 0 ? { reason: 'no trigger matches' } : {}),
    };
    // Not at the version read above: a busy repository records new pushes meanwhile, and every one of
    // them would make this evaluation start over. A concurrent evaluation of the same push (consumer
    // and reconciler) found its outcomes recorded by releaser; the first `PushEvaluated` is the one read.
    const metadata = { actor: 'system', causationId: pushEventId };
    await commit(async (tx) => {
      const now = await this.store.readStream(streamId, { from: stream.length + 1, tx });
      if (now.some((e) => e.type === RegistryEventTypes.PushEvaluated && (e.data as unknown as PushEvaluatedData).pushEventId === pushEventId)) return;
      await this.store.append(streamId, [{ type: RegistryEventTypes.PushEvaluated, data: { ...data }, metadata }], { expectedVersion: 'ANY', tx });
    });
  }

  private async settle(candidate: TriggerCandidate, pushEventId: string, push: ImagePushedData, actor: string, resolveTag: () => Promise<TagResolution>): Promise<PushOutcome> {
    const { trigger } = candidate;
    const request: RegistryReleaseRequest = {
      triggerId: trigger.triggerId,
      app: trigger.app,
      tagPolicy: trigger.policy.text,
      pushEventId,
      host: push.host,
      repository: push.repository,
      tag: push.tag,
      ...(push.digest ? { digest: push.digest } : {}),
      pushedAt: push.pushedAt,
      source: push.source,
      actor,
    };
    const veto = candidate.action === 'deploy' ? historyVeto(trigger, push, await this.fired(trigger.triggerId)) : undefined;
    if (candidate.action === 'skip') {
      request.skip = candidate.reason;
    } else if (veto) {
      request.skip = veto;
    } else {
      const authorized = authorizedDigest(push, await resolveTag());
      if ('digest' in authorized) request.digest = authorized.digest;
      else request.skip = authorized.skip;
    }
    const { outcome } = await this.commands.request<{ outcome: PushOutcome }>('releaser', 'registry-release', request, { timeoutMs: 30_000 });
    return outcome;
  }

  /** The pushes the trigger already deployed, oldest first (releaser's `trigger-<id>`). */
  private async fired(triggerId: string): Promise<TriggerFiredData[]> {
    const history = await this.store.readStream(streams.trigger(triggerId));
    return history.filter((e) => e.type === RegistryEventTypes.TriggerFired).map((e) => e.data as unknown as TriggerFiredData);
  }

  /** The digest the pushed tag names at the registry now, whatever digest the push reported. */
  private async resolveTag(push: ImagePushedData): Promise<TagResolution> {
    const ref = `${push.host}/${push.repository}:${push.tag}`;
    try {
      return { digest: (await this.images.resolve(ref)).digest };
    } catch (error) {
      const message = error instanceof HangarError ? error.message : String(error);
      this.logger.warn(`push of ${ref}: the tag could not be resolved: ${message}`);
      return { failure: message };
    }
  }
}
