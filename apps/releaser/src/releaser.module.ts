import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule } from '@hangar/event-store';
import { MessagingModule } from '@hangar/messaging';
import type { ReleaserConfig } from './releaser.config';
import { AppsHandler } from './app/apps.handler';
import { ScaleHandler } from './app/scale.handler';
import { ReleasesHandler } from './release/releases.handler';
import { ReleaseProcess } from './release/release.process';
import { RolloutConsumer } from './release/rollout.consumer';

/** Composition root of releaser: the deploy queue, the rollout process manager and their commands. */
@Module({})
export class ReleaserModule {
  static forRoot(config: ReleaserConfig): DynamicModule {
    return {
      module: ReleaserModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ natsUrl: config.natsUrl, ns: config.namespace, service: 'releaser' }) }),
      ],
      controllers: [AppsHandler, ReleasesHandler, ScaleHandler],
      providers: [ReleaseProcess, RolloutConsumer],
    };
  }
}
