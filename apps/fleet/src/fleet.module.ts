import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AppsController } from './apps/apps.controller';
import { AppsService } from './apps/apps.service';
import { FleetPoolCloser, fleetPoolProvider } from './database/fleet-pool.provider';
import { FaultsController } from './faults/faults.controller';
import { FaultsService } from './faults/faults.service';
import { FLEET_CONFIG, type FleetConfig } from './fleet.config';
import { FLEET_CLOCK, FLEET_IDS, randomIds, systemClock, type FleetClock, type FleetIds } from './fleet.tokens';
import { HealthController } from './health/health.controller';
import { BearerAuthGuard } from './http/bearer-auth.guard';
import { ViewerRedactionInterceptor } from './http/viewer-redaction.interceptor';
import { FleetExceptionFilter } from './http/fleet-exception.filter';
import { AppLogsService } from './logs/app-logs.service';
import { LogsController } from './logs/logs.controller';
import { LeaseService } from './machines/lease.service';
import { MachineCommandsService } from './machines/machine-commands.service';
import { MachineInspectionController } from './machines/machine-inspection.controller';
import { MachineLeaseController } from './machines/machine-lease.controller';
import { MachineMetadataController } from './machines/machine-metadata.controller';
import { MachineQueriesService } from './machines/machine-queries.service';
import { MachineStore } from './machines/machine-store';
import { MachineWaiter } from './machines/machine-waiter';
import { MachinesController } from './machines/machines.controller';
import { HostReachability, HostReachabilityGuard } from './machines/host-reachability';
import { FleetRateLimitGuard } from './http/rate-limit.guard';
import { MachineObservations } from './runtime/machine-observations';
import { edgeProxyProvider, PodmanRuntimeLifecycle, podmanRuntimeProvider } from './runtime/runtime.module-parts';
import { VolumesController } from './volumes/volumes.controller';
import { IpAssignmentsController } from './ips/ip-assignments.controller';
import { IpAssignmentsService } from './ips/ip-assignments.service';
import { VolumesService } from './volumes/volumes.service';

/** Ports a test may replace; production uses the system clock and random Fly-shaped ids. */
export interface FleetModuleOverrides {
  clock?: FleetClock;
  ids?: FleetIds;
}

/** Fleet's composition root: a local host of the Fly Machines API (DESIGN §7.5). */
@Module({})
export class FleetModule {
  static forRoot(config: FleetConfig, overrides: FleetModuleOverrides = {}): DynamicModule {
    return {
      module: FleetModule,
      controllers: [
        HealthController,
        AppsController,
        MachinesController,
        MachineLeaseController,
        MachineMetadataController,
        VolumesController,
        IpAssignmentsController,
        MachineInspectionController,
        LogsController,
        // Fault injection exists only where it was asked for (HANGAR_FLEET_FAULTS=1): tests, chaos, benchmarks.
        ...(config.faults ? [FaultsController] : []),
      ],
      providers: [
        { provide: FLEET_CONFIG, useValue: config },
        { provide: FLEET_CLOCK, useValue: overrides.clock ?? systemClock },
        { provide: FLEET_IDS, useValue: overrides.ids ?? randomIds },
        fleetPoolProvider,
        FleetPoolCloser,
        MachineWaiter,
        MachineObservations,
        MachineStore,
        HostReachability,
        podmanRuntimeProvider,
        edgeProxyProvider,
        PodmanRuntimeLifecycle,
        MachineCommandsService,
        MachineQueriesService,
        AppLogsService,
        LeaseService,
        AppsService,
        VolumesService,
        IpAssignmentsService,
        FaultsService,
        { provide: APP_FILTER, useClass: FleetExceptionFilter },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        { provide: APP_GUARD, useClass: FleetRateLimitGuard },
        { provide: APP_GUARD, useClass: HostReachabilityGuard },
        { provide: APP_INTERCEPTOR, useClass: ViewerRedactionInterceptor },
      ],
    };
  }
}
