import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { resolveAdminToken } from './auth/admin-token';

/** Starts the gateway on its port; returns the app, its URL and where a generated token lives. */
export async function startGateway(config: GatewayConfig): Promise<{ app: INestApplication; url: string; tokenFile?: string }> {
  const { token, file } = resolveAdminToken(config);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config, token), { bodyParser: true, logger: ['error', 'warn'] });
  app.useBodyParser('json', { limit: '1mb' });
  app.enableShutdownHooks();
  await app.listen(config.httpPort, config.httpHost);
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://${config.httpHost}:${address.port}`, ...(file ? { tokenFile: file } : {}) };
}
