import { ErrorCodes, HangarError } from '@hangar/contracts';
import { formatConfigIssue, parseAppConfig, parseDurationMs, parseNormalizedAppConfig, type AppConfig, type ConfigIssue } from '@hangar/app-config';
import type { CreateReleaseDto } from './dto/create-release.dto';
import type { CreateReleaseInput } from './release.process';

const DEFAULT_MAX_UNAVAILABLE = 0.33;
const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60 * 1000;
/** `--lease-timeout` bounds: a lease is refreshed every (ttl − 1 s) / 3, and fleet takes at most a day. */
const MIN_LEASE_MS = 2000;
const MAX_LEASE_MS = 24 * 3600 * 1000;
const MAX_ENV_VALUE = 64 * 1024;

/**
 * Turns a create-release request into the release's settings, flags over fly.toml over defaults
 * (reference §0 "Precedence"). Invalid config is a `CONFIG.INVALID` error naming file, line and key.
 */
export function toCreateReleaseInput(dto: CreateReleaseDto): CreateReleaseInput {
  const envOverrides = dto.env === undefined ? undefined : envOf(dto.env);
  const fileConfig = configOf(dto);
  // flyctl merges `--env` into the config before anything else (reference §0 step 1): the release
  // command and every machine get it, and the release's config is what ran.
  const config = envOverrides ? { ...fileConfig, env: { ...fileConfig.env, ...envOverrides } } : fileConfig;
  const imageRef = dto.image ?? config.build?.image;
  if (!imageRef) {
    throw new HangarError('RELEASE.NO_IMAGE', 'no image to deploy: pass --image (image) or set [build].image in fly.toml', { path: '[build].image' });
  }
  const waitTimeoutMs = duration('waitTimeout', dto.waitTimeout) ?? config.deploy?.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const strategy = dto.strategy ?? config.deploy?.strategy ?? 'rolling';
  if ((strategy === 'canary' || strategy === 'bluegreen') && config.mounts.length > 0) {
    // fly.toml's own strategy is checked by app-config; a --strategy flag is checked here (DESIGN §6.2).
    throw invalidConfig([{ path: 'strategy', message: `${strategy} is not allowed with [mounts]` }]);
  }
  return {
    app: dto.app,
    config,
    imageRef,
    strategy,
    maxUnavailable: dto.maxUnavailable ?? config.deploy?.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE,
    waitTimeoutMs,
    trigger: dto.trigger ?? 'nats',
    actor: dto.actor ?? 'anonymous',
    ...releaseCommandTimeout(dto.releaseCommandTimeout, config),
    ...(dto.processGroups?.length ? { processGroups: checkGroups(dto.processGroups, config) } : {}),
    ...(dto.allowVolumeDetach ? { allowVolumeDetach: true } : {}),
    ...deployFlags(dto),
    ...(envOverrides && Object.keys(envOverrides).length > 0 ? { envOverrides } : {}),
  };
}

/** flyctl's deploy flags that need no config to check (issue 15); each present only when asked. */
function deployFlags(dto: CreateReleaseDto): Partial<CreateReleaseInput> {
  const leaseTimeoutMs = duration('leaseTimeout', dto.leaseTimeout);
  if (leaseTimeoutMs !== undefined && (leaseTimeoutMs < MIN_LEASE_MS || leaseTimeoutMs > MAX_LEASE_MS)) {
    throw new HangarError(ErrorCodes.VALIDATION, `leaseTimeout must be between 2s and 24h; got ${JSON.stringify(dto.leaseTimeout)}`, [
      { path: 'leaseTimeout', message: 'must be between 2s and 24h' },
    ]);
  }
  const list = (values: string[] | undefined) => (values && values.length > 0 ? [...new Set(values)] : undefined);
  const fields: Partial<CreateReleaseInput> = {
    imageLabel: dto.imageLabel,
    skipReleaseCommand: dto.skipReleaseCommand,
    updateOnly: dto.updateOnly,
    ha: dto.ha,
    leaseTimeoutMs,
    onlyRegions: list(dto.onlyRegions),
    excludeRegions: list(dto.excludeRegions),
    onlyMachines: list(dto.onlyMachines),
    excludeMachines: list(dto.excludeMachines),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/**
 * `--env`: names as `[env]` allows them (not empty, no `=`, not `FLY_…`, which the platform sets),
 * values strings (numbers and booleans written out, as `[env]` makes them), each at most 64 KiB.
 */
function envOf(env: Record<string, unknown>): Record<string, string> {
  const issues: { path: string; message: string }[] = [];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const path = `env.${name}`;
    if (name === '' || name.includes('=') || name.includes('\0')) issues.push({ path: 'env', message: `${JSON.stringify(name)} is not a variable name` });
    else if (name.startsWith('FLY_')) issues.push({ path, message: 'must not start with FLY_ (reserved for the platform)' });
    else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') issues.push({ path, message: 'must be a string' });
    else if (String(value).length > MAX_ENV_VALUE) issues.push({ path, message: 'must be at most 64 KiB' });
    else out[name] = String(value);
  }
  if (issues.length > 0) throw new HangarError(ErrorCodes.VALIDATION, issues.map((i) => `${i.path} (--env): ${i.message}`).join('; '), issues);
  return out;
}

/** `--release-command-timeout`: a duration, milliseconds, or `none` (no limit); else fly.toml; else the default. */
function releaseCommandTimeout(value: string | number | undefined, config: AppConfig): { releaseCommandTimeoutMs?: number | null } {
  if (value === 'none') return { releaseCommandTimeoutMs: null };
  const fromFlag = duration('releaseCommandTimeout', value);
  if (fromFlag !== undefined) return { releaseCommandTimeoutMs: fromFlag };
  const fromFile = config.deploy?.releaseCommandTimeoutMs;
  return fromFile === undefined ? {} : { releaseCommandTimeoutMs: fromFile };
}

function checkGroups(groups: string[], config: AppConfig): string[] {
  const unknown = groups.filter((g) => !(g in config.processes));
  if (unknown.length > 0) {
    throw new HangarError(ErrorCodes.VALIDATION, `process group(s) ${unknown.join(', ')} not in fly.toml (groups: ${Object.keys(config.processes).join(', ')})`, [
      { path: 'processGroups', message: 'unknown process group' },
    ]);
  }
  return groups;
}

function configOf(dto: CreateReleaseDto): AppConfig {
  if (dto.configToml !== undefined) {
    const parsed = parseAppConfig(dto.configToml, { file: 'fly.toml' });
    if (!parsed.ok) throw invalidConfig(parsed.errors);
    return parsed.config;
  }
  // The JSON form is checked exactly as a fly.toml is (review M4): junk never reaches a release.
  const parsed = parseNormalizedAppConfig(dto.config);
  if (!parsed.ok) throw invalidConfig(parsed.errors, 'config');
  return parsed.config;
}

/** `CONFIG.INVALID` naming each issue, as `fly.toml:3: …` for a file or `config: …` for the JSON form. */
function invalidConfig(errors: ConfigIssue[], source = 'fly.toml'): HangarError {
  const message = errors.map((e) => formatConfigIssue(source, e)).join('\n');
  return new HangarError(ErrorCodes.CONFIG_INVALID, message, { errors });
}

function duration(field: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : parseDurationMs(value);
  if (ms === undefined || ms === null || !Number.isFinite(ms) || ms <= 0) {
    throw new HangarError(ErrorCodes.VALIDATION, `${field} must be a positive duration like "5m" or "30s"; got ${JSON.stringify(value)}`, [
      { path: field, message: 'must be a positive duration' },
    ]);
  }
  return ms;
}
