import { commandScope, grants, parseScope } from './scopes';

describe(parseScope.name, () => {
  it('accepts the five shapes and nothing else', () => {
    expect(['admin', 'audit:read', 'registry:push', 'app:demo:read', 'app:demo-2:deploy'].map(parseScope)).toEqual(['admin', 'audit:read', 'registry:push', 'app:demo:read', 'app:demo-2:deploy']);
    expect(['root', 'audit:write', 'app:Demo:read', 'app:demo:write', 'app::read', 'app:a:b:read'].map(parseScope)).toEqual(Array(6).fill(undefined));
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

  it('an app injected into the payload of an admin command does not lower what it needs (review M2)', () => {
    for (const command of ['list-apps', 'list-receivers', 'transport-key', 'get-receiver', 'rotate-key', 'get-values', 'registry-release', 'create-app', 'list-pushes', 'resolve-image', 'reconcile-operation', 'no-such-command']) {
      expect([command, commandScope(command, { app: 'mine' })]).toEqual([command, { kind: 'admin' }]);
    }
  });

  it('record-push needs registry:push (or admin), which grants nothing else; registry-release is admin-only', () => {
    expect(commandScope('record-push', { host: 'ghcr.io' })).toEqual({ kind: 'registry:push' });
    expect(grants(['registry:push'], { kind: 'registry:push' })).toBe(true);
    expect(grants(['admin'], { kind: 'registry:push' })).toBe(true);
    expect(grants(['app:x:deploy'], { kind: 'registry:push' })).toBe(false);
    expect(grants(['registry:push'], { kind: 'admin' })).toBe(false);
    expect(grants(['registry:push'], { kind: 'app', app: 'x', access: 'read' })).toBe(false);
    expect(commandScope('registry-release', { app: 'x' })).toEqual({ kind: 'admin' });
  });
});
