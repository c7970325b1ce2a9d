import { receiverBindingOf, receiverPushProblem } from './receiver-binding';

describe(receiverBindingOf.name, () => {
  it('implies the host of a fixed-host source, refusing another one', () => {
    expect(receiverBindingOf('ghcr', undefined, undefined)).toEqual({ binding: { host: 'ghcr.io' } });
    expect(receiverBindingOf('dockerhub', 'index.docker.io', 'acme')).toEqual({ binding: { host: 'docker.io', repositoryPrefix: 'acme' } });
    expect(receiverBindingOf('ghcr', 'registry.example.com', undefined)).toEqual({ path: 'host', problem: 'host of a ghcr receiver is ghcr.io; got "registry.example.com"' });
  });

  it('requires the host of a self-hosted or per-account source, and validates host and prefix naming the field', () => {
    for (const source of ['distribution', 'harbor', 'quay', 'ecr', 'gar', 'acr', 'jfrog'] as const) {
      expect(receiverBindingOf(source, undefined, undefined)).toEqual({ path: 'host', problem: expect.stringMatching(new RegExp(`^host is required for a ${source} receiver`)) });
    }
    expect(receiverBindingOf('distribution', '127.0.0.1:5000', 'acme/team')).toEqual({ binding: { host: '127.0.0.1:5000', repositoryPrefix: 'acme/team' } });
    expect(receiverBindingOf('distribution', 'https://registry.example.com', undefined)).toMatchObject({ path: 'host', problem: expect.stringContaining('"https://registry.example.com"') });
    expect(receiverBindingOf('distribution', 'Registry.Example.com', undefined)).toMatchObject({ path: 'host' });
    expect(receiverBindingOf('harbor', 'harbor.example.com', 'acme/')).toMatchObject({ path: 'repositoryPrefix', problem: expect.stringContaining('"acme/"') });
    expect(receiverBindingOf('harbor', 'harbor.example.com', 7)).toMatchObject({ path: 'repositoryPrefix' });
  });
});

describe(receiverPushProblem.name, () => {
  const receiver = { receiverId: 'R1', source: 'distribution' as const, host: 'registry.example.com' };

  it('allows pushes to its host, refuses others naming both hosts', () => {
    expect(receiverPushProblem(receiver, 'registry.example.com', 'acme/web')).toBeUndefined();
    expect(receiverPushProblem(receiver, 'REGISTRY.example.com', 'Acme/Web')).toBeUndefined();
    expect(receiverPushProblem(receiver, 'ghcr.io', 'acme/web')).toBe('receiver R1 is for registry host registry.example.com; the delivery names a push to host ghcr.io');
    expect(receiverPushProblem(receiver, 'registry.example.com:5000', 'acme/web')).toMatch(/names a push to host registry.example.com:5000$/);
  });

  it('with a prefix, allows the prefix and repositories under it only', () => {
    const prefixed = { ...receiver, repositoryPrefix: 'acme' };
    expect(receiverPushProblem(prefixed, 'registry.example.com', 'acme')).toBeUndefined();
    expect(receiverPushProblem(prefixed, 'registry.example.com', 'acme/team/web')).toBeUndefined();
    expect(receiverPushProblem(prefixed, 'registry.example.com', 'acme-evil/web')).toBe('receiver R1 is for repositories under registry.example.com/acme; the delivery names a push to registry.example.com/acme-evil/web');
  });

  it('holds a fixed-host receiver recorded without a host to its source host, and a self-hosted one to nothing', () => {
    expect(receiverPushProblem({ receiverId: 'R2', source: 'ghcr' }, 'ghcr.io', 'acme/web')).toBeUndefined();
    expect(receiverPushProblem({ receiverId: 'R2', source: 'ghcr' }, 'registry.example.com', 'acme/web')).toMatch(/is for registry host ghcr.io;/);
    expect(receiverPushProblem({ receiverId: 'R3', source: 'dockerhub' }, 'docker.io', 'nginx')).toBeUndefined();
    expect(receiverPushProblem({ receiverId: 'R4', source: 'distribution' }, 'registry.example.com', 'acme/web')).toMatch(/^receiver R4 \(distribution\) has no registry host recorded/);
  });
});
