import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '@hangar/contracts';
import { builderConfig } from '../../apps/builder/src/builder.config';
import { fleetConfig } from '../../apps/fleet/src/fleet.config';
import { gatewayConfig } from '../../apps/gateway/src/gateway.config';
import { machineUpdaterConfig } from '../../apps/machine-updater/src/machine-updater.config';
import { releaserConfig } from '../../apps/releaser/src/releaser.config';
import { secretsConfig } from '../../apps/secrets/src/secrets.config';

/** What the deploy manifests' specs share: the services, what counts as a credential, generated values. */

export const HANGAR_SERVICES = ['fleet', 'gateway', 'releaser', 'builder', 'machine-updater', 'secrets'] as const;
export type HangarService = (typeof HANGAR_SERVICES)[number];
/** fleet speaks HTTP only; every other service connects to NATS with its own key. */
export const NATS_CLIENTS: readonly HangarService[] = HANGAR_SERVICES.filter((s) => s !== 'fleet');

/** Variables whose value is a credential: it must come from the environment or a Secret, never the file. */
export const CREDENTIAL_VARIABLE = /(TOKEN|_KEY|_KEY_PREVIOUS|PASSWORD|REGISTRY_CREDENTIALS)$/;
/** Words no literal in a manifest may carry: a credential or a placeholder written into the file. */
export const FORBIDDEN_LITERAL = /change-?me|placeholder|example|password|secret|xxx/i;

export function readManifest(relative: string): string {
  return readFileSync(join(__dirname, '..', '..', 'deploy', relative), 'utf8');
}

const generated = new Map<string, string>();

/** A value as an operator would generate it (deploy/README.md), the same for a variable throughout a run. */
export function generatedValue(variable: string): string {
  let value = generated.get(variable);
  if (value === undefined) {
    value = variable.endsWith('PASSWORD') ? randomBytes(32).toString('hex') : randomBytes(32).toString('base64');
    generated.set(variable, value);
  }
  return value;
}

const PARSERS: Record<HangarService, (env: Env) => object> = {
  fleet: fleetConfig,
  gateway: gatewayConfig,
  releaser: releaserConfig,
  builder: builderConfig,
  'machine-updater': machineUpdaterConfig,
  secrets: secretsConfig,
};

/**
 * The service's own config function (the one its main.ts calls), on the environment a manifest gives
 * it: what it read as the database URL, and whether it runs as production (then it requires every
 * credential and generates none).
 */
export function parseAsService(service: HangarService, env: Env): { databaseUrl: string; production: boolean } {
  const config = PARSERS[service](env) as { databaseUrl: string; production?: boolean; audit?: { production: boolean } };
  return { databaseUrl: config.databaseUrl, production: config.production ?? config.audit?.production ?? false };
}

/** Every string in a parsed YAML document, keys included. */
export function* allStrings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* allStrings(item);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* allStrings(item);
    }
  }
}
