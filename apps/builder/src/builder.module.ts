import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule, resolveAuditKey } from '@hangar/event-store';
import { MessagingModule } from '@hangar/messaging';
import type { BuilderConfig } from './builder.config';
import { ImageResolver } from './image/image.resolver';
import { RegistryClient } from './image/registry.client';
import { ImageResolutionConsumer } from './release/image-resolution.consumer';
import { ReleaseImageService } from './release/release-image.service';
import { ResolveImageHandler } from './release/resolve-image.handler';
import { PushesHandler } from './registry/pushes.handler';
import { PushEvaluationConsumer } from './registry/push-evaluation.consumer';
import { PushEvaluator } from './registry/push-evaluator.service';
import { PUSH_RECONCILE_OPTIONS, PushReconciler } from './registry/push.reconciler';
import { PushRecorder } from './registry/push-recorder.service';
import { ReceiversHandler } from './registry/receivers.handler';
import { TriggersHandler } from './registry/triggers.handler';

/** Composition root of builder: resolves release images to digests; records registry pushes and matches them against triggers. */
@Module({})
export class BuilderModule {
  static forRoot(config: BuilderConfig): DynamicModule {
    return {
      module: BuilderModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, auditKey: resolveAuditKey(config.audit).key }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: config.nats, ns: config.namespace, service: 'builder', eventsStream: config.eventsStream }) }),
      ],
      controllers: [ResolveImageHandler, ReceiversHandler, TriggersHandler, PushesHandler],
      providers: [
        {
          provide: ImageResolver,
          useFactory: () => new ImageResolver(new RegistryClient({ insecureRegistries: config.insecureRegistries, mirrors: config.mirrors, allowPrivate: config.allowPrivate, allowLoopback: config.allowLoopback }), { credentials: config.credentials }),
        },
        ReleaseImageService,
        ImageResolutionConsumer,
        PushRecorder,
        PushEvaluator,
        PushEvaluationConsumer,
        PushReconciler,
        { provide: PUSH_RECONCILE_OPTIONS, useValue: { intervalMs: config.reconcileIntervalMs } },
      ],
    };
  }
}
