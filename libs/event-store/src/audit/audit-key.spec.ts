import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBase64Key, readServiceEnv } from '@hangar/contracts';
import { resolveAuditKey } from './audit-key';

describe(resolveAuditKey.name, () => {
  it('takes HANGAR_AUDIT_KEY, and refuses production without one', () => {
    const key = Buffer.alloc(32, 3);
    expect(resolveAuditKey({ auditKey: key, stateDir: '/nonexistent', production: true }).key).toBe(key);
    expect(() => resolveAuditKey({ stateDir: '/nonexistent', production: true })).toThrow(/HANGAR_AUDIT_KEY: is required when NODE_ENV=production/);
  });

  it('generates one development key into the state dir (mode 0600) and reuses it', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'hangar-audit-key-'));
    const first = resolveAuditKey({ stateDir, production: false });
    const second = resolveAuditKey({ stateDir, production: false });
    expect(first.key).toHaveLength(32);
    expect(second.key.equals(first.key)).toBe(true);
    expect(first.developmentFile).toBe(join(stateDir, 'audit-key'));
    expect(statSync(first.developmentFile!).mode & 0o777).toBe(0o600);
    expect(parseBase64Key({ K: readFileSync(first.developmentFile!, 'utf8') }, 'K')!.equals(first.key)).toBe(true);
  });

  it('rejects a HANGAR_AUDIT_KEY that is not 32 bytes of base64, naming the variable and not the value', () => {
    expect(() => readServiceEnv({ HANGAR_AUDIT_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/HANGAR_AUDIT_KEY: .*decodes to 16 bytes/);
    expect(() => readServiceEnv({ HANGAR_AUDIT_KEY: 'not base64!' })).toThrow(/HANGAR_AUDIT_KEY: .*not valid base64/);
    expect(readServiceEnv({ HANGAR_AUDIT_KEY: Buffer.alloc(32, 1).toString('base64') }).auditKey).toEqual(Buffer.alloc(32, 1));
  });
});
