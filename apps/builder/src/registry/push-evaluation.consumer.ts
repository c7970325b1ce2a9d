import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RegistryEventTypes, streamCategory, type ImagePushedData } from '@hangar/contracts';
import { ConsumerFactory, type ConsumerContext, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { PushEvaluator } from './push-evaluator.service';

/**
 * Every recorded push is matched against the triggers (issue 6). One at a time, so pushes of a tag
 * are judged in the order they were recorded (an older one arriving late is then out of order).
 */
@Injectable()
export class PushEvaluationConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: DurableConsumer;

  constructor(
    private readonly factory: ConsumerFactory,
    private readonly evaluator: PushEvaluator,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.factory.start({ purpose: 'push-evaluation', eventType: RegistryEventTypes.ImagePushed, concurrency: 1, handler: (e, ctx) => this.handle(e, ctx) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(event: FeedEvent, ctx: ConsumerContext): Promise<HandlerOutcome> {
    if (streamCategory(event.streamId) !== 'registry') return { kind: 'reject', reason: 'ImagePushed must come from a registry-<host>/<repository> stream' };
    const push = event.data as unknown as ImagePushedData;
    if (typeof push?.host !== 'string' || typeof push.repository !== 'string' || typeof push.tag !== 'string' || typeof push.pushedAt !== 'string') {
      return { kind: 'reject', reason: 'ImagePushed needs host, repository, tag and pushedAt' };
    }
    await this.evaluator.evaluate(event.eventId, event.streamId, push, event.metadata.actor ?? 'registry', (write) => ctx.commit(write));
    return { kind: 'ack' };
  }
}
