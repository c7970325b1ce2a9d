import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { resolveMachinesApiToken } from '@hangar/contracts';
import type { FleetConfig } from './fleet.config';
import { FleetModule, type FleetModuleOverrides } from './fleet.module';
import { PodmanRuntimeLifecycle } from './runtime/runtime.module-parts';
import { trafficRecorder } from './http/traffic-recorder';

export interface FleetAppOptions extends FleetModuleOverrides {
  /** Nest logger; default errors and warnings only. */
  logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds fleet (database created and migrated on the way) without listening, for `hangar server`
 * and tests. Errors are thrown, never a process exit.
 */
export async function createFleetApp(config: FleetConfig, options: FleetAppOptions = {}): Promise<INestApplication> {
  const token = resolveMachinesApiToken({ machinesApiToken: config.token, stateDir: config.stateDir ?? '.hangar', production: config.production ?? false });
  const app = await NestFactory.create<NestExpressApplication>(FleetModule.forRoot({ ...config, token }, options), {
    logger: options.logger ?? ['error', 'warn'],
    abortOnError: false,
  });
  app.useBodyParser('json', { limit: '5mb' });
  if (config.recordPath) app.use(trafficRecorder(config.recordPath));
  return app;
}

/** Starts fleet on `config.port` (0 = any free port); returns the app and the URL it is bound to. */
export async function startFleet(config: FleetConfig, options: FleetAppOptions = {}): Promise<{ app: INestApplication; url: string; edgeUrl?: string }> {
  const app = await createFleetApp(config, options);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const edgeUrl = app.get(PodmanRuntimeLifecycle).edgeUrl;
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, ...(edgeUrl ? { edgeUrl } : {}) };
}
