import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule } from '@hangar/event-store';
import { MessagingModule } from '@hangar/messaging';
import type { BuilderConfig } from './builder.config';
import { ImageResolver } from './image/image.resolver';
import { RegistryClient } from './image/registry.client';
import { ImageResolutionConsumer } from './release/image-resolution.consumer';

/** Composition root of builder: resolves release images to digests. */
@Module({})
export class BuilderModule {
  static forRoot(config: BuilderConfig): DynamicModule {
    return {
      module: BuilderModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ natsUrl: config.natsUrl, ns: config.namespace, service: 'builder' }) }),
      ],
      providers: [
        {
          provide: ImageResolver,
          useFactory: () => new ImageResolver(new RegistryClient({ insecureRegistries: config.insecureRegistries }), { credentials: config.credentials }),
        },
        ImageResolutionConsumer,
      ],
    };
  }
}
