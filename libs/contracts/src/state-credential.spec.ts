import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveStateCredential, type StateCredentialSource } from './state-credential';

describe(resolveStateCredential.name, () => {
  let dir: string;
  const source = (over: Partial<StateCredentialSource> = {}): StateCredentialSource => ({
    variable: 'HANGAR_TEST_TOKEN',
    stateDir: join(dir, 'state'),
    production: false,
    file: 'test-token',
    generate: () => 'generated-value',
    ...over,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'state-credential-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the variable when set, and writes nothing', () => {
    expect(resolveStateCredential(source({ value: 'from-env' }))).toEqual({ value: 'from-env' });
    expect(() => statSync(join(dir, 'state'))).toThrow();
  });

  it('generates once into a 0700 directory and a 0600 file, and reuses it', () => {
    const first = resolveStateCredential(source());
    const second = resolveStateCredential(source({ generate: () => 'another' }));
    expect(first).toEqual({ value: 'generated-value', file: join(dir, 'state', 'test-token') });
    expect(second.value).toBe('generated-value');
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing file and directory that others could read or write', () => {
    resolveStateCredential(source());
    chmodSync(join(dir, 'state'), 0o777);
    chmodSync(join(dir, 'state', 'test-token'), 0o644);
    expect(resolveStateCredential(source()).value).toBe('generated-value');
    expect(statSync(join(dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'state', 'test-token')).mode & 0o777).toBe(0o600);
  });

  it('refuses a credential file that is a symbolic link, naming the variable', () => {
    resolveStateCredential(source({ file: 'elsewhere' }));
    symlinkSync(join(dir, 'state', 'elsewhere'), join(dir, 'state', 'test-token'));
    expect(() => resolveStateCredential(source())).toThrow(/^HANGAR_TEST_TOKEN: .*test-token is a symbolic link/);
  });

  it('refuses an empty file and, in production, a missing variable', () => {
    resolveStateCredential(source());
    writeFileSync(join(dir, 'state', 'test-token'), '');
    expect(() => resolveStateCredential(source())).toThrow(/^HANGAR_TEST_TOKEN: the development credential file .* is empty/);
    expect(() => resolveStateCredential(source({ production: true }))).toThrow(/^HANGAR_TEST_TOKEN: is required when NODE_ENV=production/);
    expect(readFileSync(join(dir, 'state', 'test-token'), 'utf8')).toBe('');
  });
});
