import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule } from '@hangar/event-store';
import { MessagingModule, resolveAdminToken } from '@hangar/messaging';
import type { BuilderConfig } from './builder.config';
import { ImageResolver } from './image/image.resolver';
import { RegistryClient } from './image/registry.client';
import { ImageResolutionConsumer } from './release/image-resolution.consumer';
import { ReleaseImageService } from './release/release-image.service';
import { ResolveImageHandler } from './release/resolve-image.handler';

/** Composition root of builder: resolves release images to digests. */
@Module({})
export class BuilderModule {
  static forRoot(config: BuilderConfig): DynamicModule {
    return {
      module: BuilderModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ natsUrl: config.natsUrl, ns: config.namespace, service: 'builder', serviceToken: resolveAdminToken(config.credential).token }) }),
      ],
      controllers: [ResolveImageHandler],
      providers: [
        {
          provide: ImageResolver,
          useFactory: () => new ImageResolver(new RegistryClient({ insecureRegistries: config.insecureRegistries }), { credentials: config.credentials }),
        },
        ReleaseImageService,
        ImageResolutionConsumer,
      ],
    };
  }
}
