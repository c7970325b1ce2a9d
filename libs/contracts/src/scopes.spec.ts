import { commandScope, describeScope, grants, parseScope, scopeProblem } from './scopes';

describe(parseScope.name, () => {
  it('accepts the five shapes and nothing else', () => {
    expect(['admin', 'audit:read', 'registry:push', 'app:demo:read', 'app:demo-2:deploy'].map(parseScope)).toEqual(['admin', 'audit:read', 'registry:push', 'app:demo:read', 'app:demo-2:deploy']);
    expect(['root', 'audit:write', 'app:Demo:read', 'app:demo:write', 'app::read', 'app:a:b:read'].map(parseScope)).toEqual(Array(6).fill(undefined));
  });

  it('accepts registry:push targeted at a repository, a prefix or a host', () => {
    const valid = ['registry:push:ghcr.io/acme/web', 'registry:push:ghcr.io/acme/*', 'registry:push:127.0.0.1:5000/*', 'registry:push:docker.io/library/nginx', 'registry:push:[::1]:5000/a/b-c/*'];
    expect(valid.map(parseScope)).toEqual(valid);
  });

  it('refuses a malformed push target naming the scope and what is wrong with it', () => {
    expect(scopeProblem('registry:push:')).toBe(`scope "registry:push:": target '' must be <host>/<repository>, <host>/<prefix>/* or <host>/*`);
    expect(scopeProblem('registry:push:ghcr.io')).toMatch(/^scope "registry:push:ghcr.io": target 'ghcr.io' must be <host>\/<repository>/);
    expect(scopeProblem('registry:push:ghcr.io/')).toMatch(/names no repository/);
    expect(scopeProblem('registry:push:GHCR.io/acme/web')).toMatch(/'GHCR.io' must be a lower-case host\[:port\]/);
    expect(scopeProblem('registry:push:ghcr.io/Acme/web')).toMatch(/has no valid repository: 'Acme\/web'/);
    expect(scopeProblem('registry:push:ghcr.io/acme/*/web')).toMatch(/has no valid repository: 'acme\/\*\/web'/);
    expect(scopeProblem('registry:push:ghcr.io/acme*')).toMatch(/has no valid repository: 'acme\*'/);
    expect(scopeProblem('registry:push:index.docker.io/acme/web')).toMatch(/write docker.io$/);
    expect(scopeProblem('registry:push:docker.io/nginx')).toMatch(/write docker.io\/library\/nginx$/);
    expect(scopeProblem('registry:pull')).toMatch(/^scope must be admin, audit:read, .*registry:push:<host>\/<repository>.*; got "registry:pull"$/);
    for (const bad of ['registry:push:', 'registry:push:ghcr.io', 'registry:push:docker.io/nginx']) expect(parseScope(bad)).toBeUndefined();
  });
});

describe(grants.name, () => {
  const app = (a: string, access: 'read' | 'deploy') => ({ kind: 'app' as const, app: a, access });
  it('admin allows everything; deploy implies read of the same app only', () => {
    expect(grants(['admin'], { kind: 'admin' })).toBe(true);
    expect(grants(['admin'], app('x', 'deploy'))).toBe(true);
    expect(grants(['app:x:deploy'], app('x', 'read'))).toBe(true);
    expect(grants(['app:x:read'], app('x', 'deploy'))).toBe(false);
    expect(grants(['app:y:deploy'], app('x', 'read'))).toBe(false);
    expect(grants(['audit:read'], app('x', 'read'))).toBe(false);
    expect(grants(['app:x:deploy'], { kind: 'audit:read' })).toBe(false);
    expect(grants(['audit:read'], { kind: 'admin' })).toBe(false);
    expect(grants([], { kind: 'authenticated' })).toBe(true);
  });
});

describe(commandScope.name, () => {
  it('reads need app read, other app commands app deploy, the rest admin', () => {
    expect(commandScope('get-release', { app: 'x' })).toEqual({ kind: 'app', app: 'x', access: 'read' });
    expect(commandScope('list', { app: 'x' })).toEqual({ kind: 'app', app: 'x', access: 'read' });
    expect(commandScope('create-release', { app: 'x' })).toEqual({ kind: 'app', app: 'x', access: 'deploy' });
    expect(commandScope('create-app', { app: 'x' })).toEqual({ kind: 'admin' });
    expect(commandScope('list-apps', {})).toEqual({ kind: 'admin' });
    expect(commandScope('rotate-key', undefined)).toEqual({ kind: 'admin' });
  });

  it('apps destroy needs app deploy, config show app read; the teardown machine-updater does is admin-only', () => {
    expect(commandScope('destroy-app', { app: 'x' })).toEqual({ kind: 'app', app: 'x', access: 'deploy' });
    expect(commandScope('get-config', { app: 'x' })).toEqual({ kind: 'app', app: 'x', access: 'read' });
    expect(commandScope('teardown-app', { app: 'x' })).toEqual({ kind: 'admin' });
  });

  it('an app injected into the payload of an admin command does not lower what it needs (review M2)', () => {
    for (const command of ['list-apps', 'list-receivers', 'transport-key', 'get-receiver', 'rotate-key', 'get-values', 'registry-release', 'create-app', 'list-pushes', 'resolve-image', 'reconcile-operation', 'no-such-command']) {
      expect([command, commandScope(command, { app: 'mine' })]).toEqual([command, { kind: 'admin' }]);
    }
  });

  it('record-push needs registry:push (or admin), which grants nothing else; registry-release is admin-only', () => {
    expect(commandScope('record-push', { host: 'ghcr.io' })).toEqual({ kind: 'registry:push' });
    expect(commandScope('record-push', { host: 'GHCR.io', repository: 'Acme/Web' })).toEqual({ kind: 'registry:push', image: { host: 'ghcr.io', repository: 'acme/web' } });
    expect(grants(['registry:push'], { kind: 'registry:push' })).toBe(true);
    expect(grants(['registry:push'], commandScope('record-push', { host: 'ghcr.io', repository: 'acme/web' }))).toBe(true);
    expect(grants(['admin'], { kind: 'registry:push' })).toBe(true);
    expect(grants(['app:x:deploy'], { kind: 'registry:push' })).toBe(false);
    expect(grants(['registry:push'], { kind: 'admin' })).toBe(false);
    expect(grants(['registry:push'], { kind: 'app', app: 'x', access: 'read' })).toBe(false);
    expect(commandScope('registry-release', { app: 'x' })).toEqual({ kind: 'admin' });
  });
});

describe('registry:push:<target>', () => {
  const push = (host: string, repository: string) => commandScope('record-push', { host, repository, tag: '1.0' });

  it('allows record-push for its repository only', () => {
    const scopes = ['registry:push:ghcr.io/acme/web'];
    expect(grants(scopes, push('ghcr.io', 'acme/web'))).toBe(true);
    expect(grants(scopes, push('GHCR.IO', 'ACME/Web'))).toBe(true);
    expect(grants(scopes, push('ghcr.io', 'acme/web2'))).toBe(false);
    expect(grants(scopes, push('ghcr.io', 'acme/web/x'))).toBe(false);
    expect(grants(scopes, push('ghcr.io', 'acme'))).toBe(false);
    expect(grants(scopes, push('docker.io', 'acme/web'))).toBe(false);
    expect(grants(scopes, push('ghcr.io:443', 'acme/web'))).toBe(false);
  });

  it('with /* allows every repository under the prefix, not the prefix itself nor a name that merely starts with it', () => {
    const scopes = ['registry:push:ghcr.io/acme/*'];
    expect(grants(scopes, push('ghcr.io', 'acme/web'))).toBe(true);
    expect(grants(scopes, push('ghcr.io', 'acme/team/api'))).toBe(true);
    expect(grants(scopes, push('ghcr.io', 'acme'))).toBe(false);
    expect(grants(scopes, push('ghcr.io', 'acme-evil/web'))).toBe(false);
    expect(grants(scopes, push('registry.example.com', 'acme/web'))).toBe(false);
    expect(grants(['registry:push:127.0.0.1:5000/*'], push('127.0.0.1:5000', 'anything/at/all'))).toBe(true);
    expect(grants(['registry:push:127.0.0.1:5000/*'], push('127.0.0.1:5001', 'anything'))).toBe(false);
  });

  it('matches Docker Hub names as builder records them', () => {
    expect(grants(['registry:push:docker.io/library/nginx'], push('index.docker.io', 'nginx'))).toBe(true);
    expect(grants(['registry:push:docker.io/acme/*'], push('registry-1.docker.io', 'acme/web'))).toBe(true);
    expect(grants(['registry:push:docker.io/acme/*'], push('docker.io', 'nginx'))).toBe(false);
  });

  it('needs a payload naming the image, grants nothing but record-push, and names the scope a push needs', () => {
    const scopes = ['registry:push:ghcr.io/*'];
    expect(grants(scopes, commandScope('record-push', { tag: '1.0' }))).toBe(false);
    expect(grants(scopes, commandScope('record-push', { host: 'ghcr.io', repository: 7 }))).toBe(false);
    expect(grants(scopes, commandScope('create-release', { app: 'x', host: 'ghcr.io', repository: 'a/b' }))).toBe(false);
    expect(grants(scopes, commandScope('record-delivery', { host: 'ghcr.io', repository: 'a/b' }))).toBe(false);
    expect(grants(scopes, { kind: 'admin' })).toBe(false);
    expect(grants(['registry:push:ghcr.io'], push('ghcr.io', 'ghcr.io'))).toBe(false);
    expect(describeScope(push('Docker.io', 'nginx'))).toBe('registry:push:docker.io/library/nginx');
    expect(describeScope(commandScope('record-push', {}))).toBe('registry:push');
  });
});
