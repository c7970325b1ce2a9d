import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { resolveAdminToken } from './auth/admin-token';
import { installBodyParsers } from './http/body-parsers';
import { PublicUrl } from './webhooks/public-url';
import { openApiDocument } from './openapi/openapi.document';
import { DOCS_JSON_PATH, DOCS_PATH } from './openapi/service.paths';
import { startOpsServer } from '@hangar/messaging';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';

/** Starts the gateway on its port; returns the app, its URL and where a generated token lives. */
export async function startGateway(config: GatewayConfig): Promise<{ app: INestApplication; url: string; tokenFile?: string }> {
  const { token, file } = resolveAdminToken(config);
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config, token), { bodyParser: false, logger: ['error', 'warn'] });
  installBodyParsers(app);
  // Plain Express routes and local swagger-ui-dist assets: outside the bearer guard, no CDN.
  SwaggerModule.setup(DOCS_PATH, app, openApiDocument(), { jsonDocumentUrl: DOCS_JSON_PATH, raw: ['json'], customSiteTitle: 'Hangar API' });
  app.enableShutdownHooks();
  await app.listen(config.httpPort, config.httpHost);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${config.httpHost}:${address.port}`;
  app.get(PublicUrl).listeningAt(url);
  if (config.ops) {
    const health = app.get(HealthController);
    const metrics = app.get(MetricsController);
    const ops = await startOpsServer({ endpoint: config.ops, service: 'gateway', ready: () => health.checks(), metrics: () => metrics.scrape() });
    app.getHttpServer().once('close', () => void ops.close());
  }
  return { app, url, ...(file ? { tokenFile: file } : {}) };
}
