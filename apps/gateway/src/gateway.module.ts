import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventStoreModule } from '@hangar/event-store';
import { MessagingModule } from '@hangar/messaging';
import type { GatewayConfig } from './gateway.config';
import { AppsController } from './apps/apps.controller';
import { ADMIN_TOKEN, BearerAuthGuard } from './auth/bearer-auth.guard';
import { HealthController } from './health/health.controller';
import { HttpErrorFilter } from './http/http-error.filter';
import { MachinesController } from './machines/machines.controller';
import { ReleasesController } from './releases/releases.controller';

/** Composition root of the HTTP gateway: turns requests into NATS commands; reads the store for queries. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, adminToken: string): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, poolSize: 5 }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ natsUrl: config.natsUrl, ns: config.namespace, service: 'gateway' }) }),
      ],
      controllers: [HealthController, AppsController, ReleasesController, MachinesController],
      providers: [
        { provide: ADMIN_TOKEN, useValue: adminToken },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
