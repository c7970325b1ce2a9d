import { loadAll } from 'js-yaml';
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

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: unknown[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  ports?: { containerPort: number; hostPort?: number }[];
}
interface SecretVolume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
}
interface PodSpec {
  containers: Container[];
  volumes?: SecretVolume[];
  hostNetwork?: boolean;
}
interface Peer {
  podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] };
  namespaceSelector?: unknown;
  ipBlock?: unknown;
}
interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: {
    type?: string;
    selector?: Record<string, string>;
    ports?: { port: number; nodePort?: number }[];
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    podSelector?: { matchLabels?: Record<string, string> };
    ingress?: { from?: Peer[]; ports?: { port: number }[] }[];
  };
}

const raw = readManifest('kubernetes/hangar.yaml');
const objects = loadAll(raw) as K8sObject[];
const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
const pod = (app: string): PodSpec => {
  const found = workloads.find((w) => w.spec.template?.metadata.labels.app === app)?.spec.template?.spec;
  if (!found) throw new Error(`hangar.yaml runs no pod labelled app=${app}`);
  return found;
};
const container = (app: string): Container => pod(app).containers[0]!;
const envVar = (app: string, name: string): EnvVar | undefined => container(app).env?.find((e) => e.name === name);

/** The environment the kubelet would give the container: Secret keys generated, `$(VAR)` expanded. */
function resolved(app: string): Env {
  const env: Env = {};
  for (const e of container(app).env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    env[e.name] = ref ? generatedValue(ref.key) : (e.value ?? '').replace(/\$\(([A-Z0-9_]+)\)/g, (_, v: string) => env[v] ?? `$(${v})`);
  }
  return env;
}

/** The pods a NetworkPolicy admits into the pods labelled app=<target>; '*' for a rule open to anyone. */
function admittedInto(target: string): string[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.spec.podSelector?.matchLabels?.app === target);
  expect(policies).not.toHaveLength(0);
  return policies.flatMap((p) =>
    (p.spec.ingress ?? []).flatMap((rule) =>
      !rule.from?.length
        ? ['*']
        : rule.from.flatMap((peer) =>
            peer.namespaceSelector || peer.ipBlock || !peer.podSelector
              ? ['*']
              : [...(peer.podSelector.matchExpressions ?? []).filter((m) => m.key === 'app' && m.operator === 'In').flatMap((m) => m.values), ...(peer.podSelector.matchLabels?.app ? [peer.podSelector.matchLabels.app] : [])],
          ),
    ),
  ).sort();
}
/** The service pods whose variable points at the host given. */
const clientsOf = (variable: string, host: string) =>
  HANGAR_SERVICES.filter((s) => {
    const value = resolved(`hangar-${s}`)[variable];
    return value !== undefined && new URL(value).hostname === host;
  }).map((s) => `hangar-${s}`).sort();

describe('deploy/kubernetes/hangar.yaml', () => {
  it.each(HANGAR_SERVICES)('runs %s as its own Deployment, in production', (name) => {
    expect(objects).toContainEqual(expect.objectContaining({ kind: 'Deployment', metadata: expect.objectContaining({ name: `hangar-${name}` }) }));
    expect(container(`hangar-${name}`).command).toEqual(['node', `dist/apps/${name}/main.js`]);
    expect(envVar(`hangar-${name}`, 'NODE_ENV')?.value).toBe('production');
  });

  it('ships no Secret and takes every credential from one, each through its own key', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const w of workloads) {
      const c = w.spec.template!.spec.containers[0]!;
      expect({ workload: w.metadata.name, envFrom: c.envFrom }).toEqual({ workload: w.metadata.name, envFrom: undefined });
      const fromSecrets = new Set((c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name));
      for (const e of c.env ?? []) {
        const where = `${w.metadata.name}.${e.name}`;
        if (CREDENTIAL_VARIABLE.test(e.name)) expect({ where, value: e.value, secret: e.valueFrom?.secretKeyRef?.name }).toEqual({ where, value: undefined, secret: 'hangar' });
        const references = [...(e.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((m) => m[1]!);
        for (const variable of references) expect({ where, variable, fromSecret: fromSecrets.has(variable) }).toEqual({ where, variable, fromSecret: true });
        expect({ where, literal: (e.value ?? '').replace(/\$\([A-Z0-9_]+\)/g, '') }).toEqual({ where, literal: expect.not.stringMatching(FORBIDDEN_LITERAL) });
      }
    }
    expect(raw).not.toMatch(/change-?me/i);
  });

  it("gives the admin token to the gateway only: it is the operator's HTTP token and never travels on NATS", () => {
    const holders = workloads.filter((w) => (w.spec.template!.spec.containers[0]!.env ?? []).some((e) => e.name === 'HANGAR_ADMIN_TOKEN')).map((w) => w.metadata.name);
    expect(holders).toEqual(['hangar-gateway']);
  });

  it('gives Postgres a password, never trust, and every DATABASE_URL carries it', () => {
    expect(envVar('hangar-postgres', 'POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'hangar', key: 'HANGAR_POSTGRES_PASSWORD' });
    expect(envVar('hangar-postgres', 'POSTGRES_HOST_AUTH_METHOD')?.value).toBe('scram-sha-256');
    expect([...allStrings(objects)].filter((s) => /\btrust\b/i.test(s))).toEqual([]);
    for (const name of HANGAR_SERVICES) {
      const url = new URL(resolved(`hangar-${name}`).DATABASE_URL!);
      expect({ name, host: url.hostname, user: url.username, password: url.password }).toEqual({ name, host: 'hangar-postgres', user: envVar('hangar-postgres', 'POSTGRES_USER')?.value, password: generatedValue('HANGAR_POSTGRES_PASSWORD') });
    }
  });

  it('runs NATS with the generated configuration, and mounts each service its own key only', () => {
    const nats = container('hangar-nats');
    const configMount = nats.volumeMounts?.find((m) => pod('hangar-nats').volumes?.find((v) => v.name === m.name)?.secret?.secretName === 'hangar-nats');
    expect(configMount?.readOnly).toBe(true);
    expect(nats.args).toEqual(['-c', `${configMount!.mountPath}/nats.conf`]);
    expect(pod('hangar-nats').volumes?.find((v) => v.name === configMount!.name)?.secret?.items).toEqual([{ key: 'nats.conf', path: 'nats.conf' }]);
    for (const name of HANGAR_SERVICES) {
      const app = `hangar-${name}`;
      const keyVolumes = (pod(app).volumes ?? []).filter((v) => v.secret?.secretName === 'hangar-nats');
      if (!NATS_CLIENTS.includes(name)) {
        expect({ name, keyVolumes }).toEqual({ name, keyVolumes: [] });
        continue;
      }
      const url = new URL(resolved(app).NATS_URL!);
      expect({ name, protocol: url.protocol, host: url.hostname, user: url.username, password: url.password }).toEqual({ name, protocol: 'nats:', host: 'hangar-nats', user: '', password: '' });
      expect({ name, items: keyVolumes.map((v) => v.secret?.items) }).toEqual({ name, items: [[{ key: `${name}.nk`, path: `${name}.nk` }]] });
      const mount = container(app).volumeMounts?.find((m) => m.name === keyVolumes[0]!.name);
      expect({ name, dir: envVar(app, 'HANGAR_NATS_CREDENTIALS')?.value, readOnly: true }).toEqual({ name, dir: mount?.mountPath, readOnly: mount?.readOnly });
    }
    expect(raw).not.toContain('HANGAR_NATS_INSECURE');
  });

  it('exposes nothing but ClusterIP Services, and no pod on its host', () => {
    for (const s of objects.filter((o) => o.kind === 'Service')) {
      expect({ service: s.metadata.name, type: s.spec.type, nodePorts: (s.spec.ports ?? []).filter((p) => p.nodePort) }).toEqual({ service: s.metadata.name, type: 'ClusterIP', nodePorts: [] });
    }
    for (const w of workloads) {
      const spec = w.spec.template!.spec;
      expect({ workload: w.metadata.name, hostNetwork: spec.hostNetwork, hostPorts: spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort)) }).toEqual({ workload: w.metadata.name, hostNetwork: undefined, hostPorts: [] });
    }
  });

  it('admits into fleet, Postgres and NATS only the pods that use them', () => {
    expect(admittedInto('hangar-fleet')).toEqual(clientsOf('HANGAR_MACHINES_API_URL', 'hangar-fleet'));
    // machine-updater drives fleet; the gateway reads logs with the read-only viewer token.
    expect(admittedInto('hangar-fleet')).toEqual(['hangar-gateway', 'hangar-machine-updater']);
    expect(admittedInto('hangar-postgres')).toEqual(clientsOf('DATABASE_URL', 'hangar-postgres'));
    expect(admittedInto('hangar-nats')).toEqual(clientsOf('NATS_URL', 'hangar-nats'));
    const denyAll = objects.find((o) => o.kind === 'NetworkPolicy' && !o.spec.ingress && o.spec.podSelector?.matchLabels);
    for (const w of workloads) expect(w.spec.template!.metadata.labels).toMatchObject(denyAll!.spec.podSelector!.matchLabels!);
  });

  it.each(HANGAR_SERVICES)('gives %s an environment its own config accepts, and that refuses a placeholder', (name) => {
    const env = resolved(`hangar-${name}`);
    expect(parseAsService(name, env)).toEqual({ databaseUrl: env.DATABASE_URL, production: true });
    const token = name === 'fleet' ? 'HANGAR_MACHINES_API_TOKEN' : 'HANGAR_ADMIN_TOKEN';
    expect(() => parseAsService(name, { ...env, [token]: 'change-me-to-a-long-random-token' })).toThrow(new RegExp(`^${token}: looks like a placeholder`));
  });
});
