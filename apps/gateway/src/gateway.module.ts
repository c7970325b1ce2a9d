import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventStoreModule, PG_POOL, resolveAuditKey } from '@hangar/event-store';
import { ApiTokenStore, CredentialVerifier, MessagingModule } from '@hangar/messaging';
import type { Pool } from 'pg';
import type { GatewayConfig } from './gateway.config';
import { AppsController } from './apps/apps.controller';
import { ADMIN_TOKEN, BearerAuthGuard } from './auth/bearer-auth.guard';
import { HealthController } from './health/health.controller';
import { AuditController } from './audit/audit.controller';
import { auditProviders } from './audit/audit.providers';
import { TokensController } from './tokens/tokens.controller';
import { TokenLifecycle } from './tokens/token-lifecycle.service';
import { FleetHistory } from './machines/fleet-history.service';
import { HttpErrorFilter } from './http/http-error.filter';
import { MachinesController } from './machines/machines.controller';
import { MachineActionsController } from './machines/machine-actions.controller';
import { MachineReportsController } from './machines/machine-reports.controller';
import { IpsController } from './ips/ips.controller';
import { VolumesController } from './volumes/volumes.controller';
import { ReleasesController } from './releases/releases.controller';
import { APP_LOG_SOURCE, appLogSourceFor } from './logs/app-log-source';
import { LogsController } from './logs/logs.controller';
import { StreamLimits } from './releases/stream-limits';
import { SecretsController } from './secrets/secrets.controller';
import { ReceiversController } from './webhooks/receivers.controller';
import { WebhookController } from './webhooks/webhook.controller';
import { WebhookIngress } from './webhooks/webhook-ingress.service';
import { NatsReceiverDirectory, ReceiverDirectory } from './webhooks/receiver-credentials';
import { PublicUrl } from './webhooks/public-url';
import { ReceiverCache } from './webhooks/receiver-cache';
import { DeliveryThrottle } from './webhooks/delivery-throttle';
import { TriggersController } from './triggers/triggers.controller';
import { MetricsController } from './metrics/metrics.controller';
import { metricsProviders } from './metrics/metrics.providers';

/** Composition root of the HTTP gateway: turns requests into NATS commands; reads the store for queries. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, adminToken: string): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, auditKey: resolveAuditKey(config.audit).key, poolSize: 5 }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: config.nats, ns: config.namespace, service: 'gateway', eventsStream: config.eventsStream }) }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        AppsController,
        ReleasesController,
        MachinesController,
        LogsController,
        MachineActionsController,
        MachineReportsController,
        VolumesController,
        IpsController,
        SecretsController,
        AuditController,
        TokensController,
        ReceiversController,
        TriggersController,
        WebhookController,
      ],
      providers: [
        { provide: ADMIN_TOKEN, useValue: adminToken },
        { provide: ApiTokenStore, inject: [PG_POOL], useFactory: (pool: Pool) => new ApiTokenStore(pool) },
        { provide: CredentialVerifier, inject: [ApiTokenStore], useFactory: (tokens: ApiTokenStore) => new CredentialVerifier(adminToken, tokens) },
        TokenLifecycle,
        FleetHistory,
        { provide: APP_LOG_SOURCE, useFactory: () => appLogSourceFor(config) },
        { provide: StreamLimits, useValue: new StreamLimits() },
        { provide: PublicUrl, useValue: new PublicUrl(config.publicUrl) },
        WebhookIngress,
        NatsReceiverDirectory,
        { provide: ReceiverCache, inject: [NatsReceiverDirectory], useFactory: (nats: NatsReceiverDirectory) => new ReceiverCache(nats) },
        { provide: ReceiverDirectory, useExisting: ReceiverCache },
        { provide: DeliveryThrottle, useValue: new DeliveryThrottle() },
        ...auditProviders(config.databaseUrl),
        ...metricsProviders(config.namespace, config.storeMetricsCacheMs === undefined ? {} : { storeCacheMs: config.storeMetricsCacheMs }),
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
