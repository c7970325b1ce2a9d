import { load } from 'js-yaml';
import type { Env } from '@hangar/contracts';
import {
  allStrings,
  CREDENTIAL_VARIABLE,
  FORBIDDEN_LITERAL,
  generatedValue,
  HANGAR_SERVICES,
  NATS_CLIENTS,
  parseAsService,
  readManifest,
} from './manifest-checks';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  network_mode?: string;
  depends_on?: Record<string, { condition: string }>;
}

const raw = readManifest('compose.yaml');
const compose = load(raw) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};
const environment = (name: string): Record<string, string> => service(name).environment ?? {};

/** `${VAR:?message}`: compose refuses to start without VAR. */
const REQUIRED = /\$\{([A-Z][A-Z0-9_]*):\?[^}]+\}/g;
const interpolations = (value: string): string[] => [...value.matchAll(/\$\{[^}]*\}/g)].map((m) => m[0]);
/** The environment as compose would pass it, with each required variable generated. */
const resolved = (name: string): Env =>
  Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, String(v).replace(REQUIRED, (_, variable: string) => generatedValue(variable))]));

describe('deploy/compose.yaml', () => {
  it.each(HANGAR_SERVICES)('runs %s as its own container, in production', (name) => {
    expect(service(name).command).toEqual(['node', `dist/apps/${name}/main.js`]);
    expect(environment(name).NODE_ENV).toBe('production');
  });

  it('takes every credential from the environment, required, and writes none into the file', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(svc.environment ?? {})) {
        const where = `${name}.${variable}`;
        for (const part of interpolations(String(value))) expect({ where, part }).toEqual({ where, part: expect.stringMatching(/^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/) });
        if (CREDENTIAL_VARIABLE.test(variable)) expect({ where, value }).toEqual({ where, value: expect.stringMatching(/^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$/) });
        expect({ where, literal: String(value).replace(REQUIRED, '') }).toEqual({ where, literal: expect.not.stringMatching(FORBIDDEN_LITERAL) });
      }
    }
    expect(raw).not.toMatch(/change-?me/i);
  });

  it('hands each credential only to the services that use it', () => {
    const holders = (variable: string) => Object.keys(compose.services).filter((name) => variable in environment(name)).sort();
    expect(holders('HANGAR_SECRETS_KEY')).toEqual(['secrets']);
    expect(holders('HANGAR_MACHINES_API_TOKEN')).toEqual(['fleet', 'machine-updater']);
    expect(holders('HANGAR_ADMIN_TOKEN')).toEqual(['gateway']);
    expect(holders('HANGAR_FLEET_VIEWER_TOKEN')).toEqual(['fleet', 'gateway']);
    expect(holders('HANGAR_AUDIT_KEY')).toEqual([...NATS_CLIENTS].sort());
  });

  it('gives Postgres a password, never trust, and every DATABASE_URL carries it', () => {
    const postgres = environment('postgres');
    expect(postgres.POSTGRES_PASSWORD).toMatch(/^\$\{HANGAR_POSTGRES_PASSWORD:\?[^}]+\}$/);
    expect(postgres.POSTGRES_HOST_AUTH_METHOD).toBe('scram-sha-256');
    expect([...allStrings(compose)].filter((s) => /\btrust\b/i.test(s))).toEqual([]);
    for (const name of HANGAR_SERVICES) {
      const url = new URL(resolved(name).DATABASE_URL!);
      expect({ name, host: url.hostname, user: url.username, password: url.password }).toEqual({ name, host: 'postgres', user: postgres.POSTGRES_USER, password: generatedValue('HANGAR_POSTGRES_PASSWORD') });
    }
  });

  it('runs NATS from the configuration nats-init writes, and every service connects with its own key', () => {
    const init = service('nats-init').command ?? [];
    expect(init.slice(0, 4)).toEqual(['node', 'dist/apps/cli/main.js', 'nats', 'init']);
    const option = (flag: string) => init[init.indexOf(flag) + 1];
    const dir = option('--dir')!;
    expect(service('nats-init').volumes).toContain(`natsconfig:${dir}`);
    expect(service('nats').command).toEqual(['-c', `${dir}/nats.conf`]);
    expect(service('nats').volumes).toEqual(expect.arrayContaining([`natsconfig:${dir}:ro`, expect.stringMatching(new RegExp(`^natsdata:${option('--store-dir')}$`))]));
    expect(service('nats').depends_on?.['nats-init']).toEqual({ condition: 'service_completed_successfully' });
    for (const name of NATS_CLIENTS) {
      const env = environment(name);
      const url = new URL(env.NATS_URL!);
      expect({ name, protocol: url.protocol, host: url.hostname, user: url.username, password: url.password }).toEqual({ name, protocol: 'nats:', host: 'nats', user: '', password: '' });
      expect({ name, credentials: env.HANGAR_NATS_CREDENTIALS, namespace: env.HANGAR_NAMESPACE }).toEqual({ name, credentials: dir, namespace: option('--namespace') });
      expect(service(name).volumes).toContain(`natsconfig:${dir}:ro`);
    }
    expect(service('fleet').volumes ?? []).not.toContainEqual(expect.stringMatching(/^natsconfig:/));
    expect(raw).not.toContain('HANGAR_NATS_INSECURE');
  });

  it('publishes only the gateway, on loopback, and never fleet', () => {
    const published = Object.entries(compose.services).filter(([, svc]) => svc.ports?.length || svc.network_mode === 'host');
    expect(published.map(([name]) => name)).toEqual(['gateway']);
    expect(service('gateway').ports).toEqual(['127.0.0.1:4280:4280']);
    expect(service('fleet')).toEqual(expect.not.objectContaining({ ports: expect.anything(), network_mode: expect.anything() }));
    expect(JSON.stringify(Object.values(compose.services).map((svc) => svc.ports ?? []))).not.toContain(environment('fleet').HANGAR_FLEET_PORT ?? '4281');
  });

  it.each(HANGAR_SERVICES)('gives %s an environment its own config accepts, and that refuses a placeholder', (name) => {
    const env = resolved(name);
    expect(parseAsService(name, env)).toEqual({ databaseUrl: env.DATABASE_URL, production: true });
    const token = name === 'fleet' ? 'HANGAR_MACHINES_API_TOKEN' : 'HANGAR_ADMIN_TOKEN';
    expect(() => parseAsService(name, { ...env, [token]: 'change-me-to-a-long-random-token' })).toThrow(new RegExp(`^${token}: looks like a placeholder`));
  });
});
