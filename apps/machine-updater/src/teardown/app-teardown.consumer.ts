import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventTypes, type AppDestroyedData } from '@hangar/contracts';
import { ConsumerFactory, type DurableConsumer, type FeedEvent, type HandlerOutcome } from '@hangar/messaging';
import { AppTeardown } from './app-teardown.service';

const RETRY_MS = 5_000;

/**
 * Consumes `AppDestroyed` and destroys what the app still has: the path that finishes a teardown
 * the `teardown-app` command did not (machine-updater down, a timeout, a crash half way).
 */
@Injectable()
export class AppTeardownConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AppTeardownConsumer.name);
  private consumer?: DurableConsumer;

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly teardown: AppTeardown,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.consumers.start({ purpose: 'app-teardown', eventType: EventTypes.AppDestroyed, handler: (event) => this.handle(event) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(event: FeedEvent): Promise<HandlerOutcome> {
    const { app } = event.data as Partial<AppDestroyedData>;
    if (typeof app !== 'string') return { kind: 'reject', reason: 'AppDestroyed without an app' };
    try {
      const done = await this.teardown.run(app);
      if (done.machines.length + done.volumes.length > 0) this.logger.log(`app ${app}: destroyed ${done.machines.length} machine(s) and ${done.volumes.length} volume(s)`);
      return { kind: 'ack' };
    } catch (error) {
      return { kind: 'retry', afterMs: RETRY_MS, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
