import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HangarError } from '@hangar/contracts';
import { CONFIG_UNREADABLE, loadAppConfigFile } from './load-app-config-file';

describe(loadAppConfigFile.name, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-app-config-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and parses the file', async () => {
    const path = join(dir, 'fly.toml');
    await writeFile(path, 'app = "from-disk"\n[deploy]\nstrategy = "immediate"\n');
    const result = await loadAppConfigFile(path);
    expect(result).toMatchObject({ ok: true, config: { app: 'from-disk', deploy: { strategy: 'immediate' } } });
  });

  it('throws CONFIG.UNREADABLE naming the path when the file is missing', async () => {
    const path = join(dir, 'missing.toml');
    const error = await loadAppConfigFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HangarError);
    expect(error).toMatchObject({ code: CONFIG_UNREADABLE, details: { path } });
    expect((error as HangarError).message).toContain(`cannot read ${path}`);
  });
});
