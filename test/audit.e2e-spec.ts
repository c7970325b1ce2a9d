import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { HangarProcesses, flyToml, pushTestImages, startHangarE2e, statusOf, testNamespace, uniqueSuffix, type HangarE2e } from '@hangar/testing';

/**
 * Issue 7 through the CLI: scoped tokens act under their own name, the audit trail answers who
 * deployed what, the fleet can be seen as it was, a release reads as a timeline, and the store
 * verifies clean until someone edits it.
 */
describe('hangar audit, tokens and status --at (e2e)', () => {
  let e2e: HangarE2e;
  let pg: Client;
  let hangar: HangarProcesses;
  let dir: string;
  const app = `audit-${uniqueSuffix()}`;
  const repo = `audit-${uniqueSuffix()}`;
  let images: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  let betweenDeploys = '';

  const as = (who: string) => ({ env: { HANGAR_API_TOKEN: secrets[who] ?? hangar.adminToken } });

  beforeAll(async () => {
    e2e = await startHangarE2e({ databasePrefix: 'hangar_e2e_audit', namespace: testNamespace('a'), fleetBootMs: 20, tmpPrefix: 'hangar-audit-' });
    ({ pg, hangar, dir } = e2e);
    images = await pushTestImages(repo, ['v1', 'v2']);
    writeFileSync(join(dir, 'fly.toml'), flyToml(app, images.v1!));
  }, 120000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('creates scoped tokens; a deploy token deploys its app and is recorded as the actor', async () => {
    expect((await hangar.cli(['apps', 'create', app])).code).toBe(0);
    for (const [name, scope] of [['ci', `app:${app}:deploy`], ['auditor', 'audit:read']]) {
      const r = await hangar.cli(['tokens', 'create', name!, '--scope', scope!, '--json']);
      expect(r.code).toBe(0);
      secrets[name!] = (JSON.parse(r.stdout) as { secret: string }).secret;
    }
    const listed = await hangar.cli(['tokens', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`ci\\s+app:${app}:deploy\\s+-\\s+admin`));
    expect(listed.stdout).not.toContain(secrets.ci);

    const deploy = await hangar.cli(['deploy'], { cwd: dir, ...as('ci') });
    expect(deploy.stderr).toBe('');
    expect(deploy.code).toBe(0);
    // The auditor may read the trail, not deploy; ci may not read the trail.
    expect((await hangar.cli(['deploy', '-i', images.v2!], { cwd: dir, ...as('auditor') })).code).toBe(3);
    expect((await hangar.cli(['audit', '--app', app], as('ci'))).code).toBe(3);
    betweenDeploys = new Date().toISOString();
    expect((await hangar.cli(['deploy', '-i', images.v2!], { cwd: dir })).code).toBe(0);
  });

  it('answers who deployed what: the audit trail by actor, as NDJSON of every page', async () => {
    const r = await hangar.cli(['audit', '--actor', 'ci', '--app', app, '--limit', '2', '--json'], as('auditor'));
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; metadata: { actor: string }; data: { version?: number }; globalPosition: number });
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.metadata.actor === 'ci')).toBe(true);
    expect(events.find((e) => e.type === 'ReleaseQueued')?.data.version).toBe(1);
    expect(new Set(events.map((e) => e.globalPosition)).size).toBe(events.length);
    const byAdmin = await hangar.cli(['audit', '--actor', 'admin', '--type', 'ReleaseQueued', '--app', app, '--json'], as('auditor'));
    expect(byAdmin.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { data: { version: number } }).data.version)).toEqual([2]);
    const table = await hangar.cli(['audit', '--type', 'TokenCreated'], as('auditor'));
    expect(table.stdout).toMatch(/token-ci@1\s+TokenCreated\s+admin/);
  });

  it('shows the fleet as it was between the deploys, and as it is now', async () => {
    const then = await hangar.cli(['status', '-a', app, '--at', betweenDeploys, '--json'], as('ci'));
    expect(then.code).toBe(0);
    const past = JSON.parse(then.stdout) as { at: string; machines: { id: string; managed: boolean; releaseVersion: number; image: string }[] };
    const now = await statusOf(hangar, app);
    expect(past.machines.map((m) => m.id)).toEqual(now.machines.map((m) => m.id).sort());
    expect(past.machines.every((m) => m.managed && m.releaseVersion === 1 && m.image.includes(`${repo}:v1@sha256:`))).toBe(true);
    expect(now.machines.every((m) => m.releaseVersion === 2 && m.image.includes(`${repo}:v2@sha256:`))).toBe(true);
    const before = await hangar.cli(['status', '-a', app, '--at', '2000-01-01T00:00:00Z']);
    expect(before.stdout).toContain('0 machine(s)');
  });

  it('prints a release as a timeline of steps with machines, durations and actors', async () => {
    const r = await hangar.cli(['releases', 'show', 'v1', '-a', app]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Timeline:');
    expect(r.stdout).toMatch(/ReleaseQueued\s+trigger cli.*\s+ci\n/);
    expect(r.stdout).toMatch(/RolloutStepSucceeded\s+create [0-9a-f]{14} \(app\) in \d+\.\d\ds\s+system/);
    expect(r.stdout).toMatch(/ReleaseCompleted\s+total \d+\.\d\ds/);
  });

  it('verifies clean, then names the stream and position of an edited event', async () => {
    expect((await hangar.cli(['audit', 'checkpoint'])).stdout).toMatch(/^Checkpoint #\d+: \d+ streams, digest [0-9a-f]{64}/);
    const clean = await hangar.cli(['audit', 'verify'], as('auditor'));
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^✓ \d+ events in \d+ streams verified/);
    const { rows } = await pg.query(`UPDATE events SET data = jsonb_set(data, '{image}', '"evil"') WHERE type = 'MachineUpdated' AND data->>'app' = $1 RETURNING stream_id, stream_position`, [app]);
    const dirty = await hangar.cli(['audit', 'verify'], as('auditor'));
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain(`${rows[0].stream_id} position ${rows[0].stream_position}: edited`);
  });

  it('exports a checkpoint; verify --against it names a truncated stream, and verify names a token row inserted by SQL', async () => {
    const file = join(dir, 'checkpoint.json');
    const exported = await hangar.cli(['audit', 'checkpoint', '--export', file]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/Exported checkpoint #\d+ \(\d+ heads\) to /);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'hangar-audit-checkpoint/1', mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const { rows } = await pg.query(`SELECT stream_id, max(stream_position)::int AS last FROM events WHERE stream_id LIKE 'release-%' AND data->>'app' = $1 GROUP BY stream_id HAVING max(stream_position) >= 2 AND bool_and(type <> 'MachineUpdated') LIMIT 1`, [app]);
    const victim = rows[0] as { stream_id: string; last: number };
    await pg.query(`DELETE FROM events WHERE stream_id = $1 AND stream_position = $2`, [victim.stream_id, victim.last]);
    await pg.query(`UPDATE streams SET position = $2, head_hash = (SELECT hash FROM events WHERE stream_id = $1 AND stream_position = $2) WHERE stream_id = $1`, [victim.stream_id, victim.last - 1]);
    await pg.query(`INSERT INTO api_tokens (name, token_hash, scopes, created_by) VALUES ('backdoor', repeat('ab', 32), '{admin}', 'admin')`);
    const against = await hangar.cli(['audit', 'verify', '--against', file], as('auditor'));
    expect(against.code).toBe(1);
    expect(against.stdout).toContain(`${victim.stream_id} position ${victim.last}: truncated`);
    expect(against.stdout).toContain('the exported checkpoint #');
    expect(against.stdout).toContain('token-backdoor position 1: unrecorded-token');
    const missing = await hangar.cli(['audit', 'verify', '--against', join(dir, 'nope.json')], as('auditor'));
    expect(missing.code).toBe(2);
  });

  it('a revoked token stops working at once', async () => {
    expect((await hangar.cli(['tokens', 'revoke', 'ci'])).code).toBe(0);
    const r = await hangar.cli(['status', '-a', app], as('ci'));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('invalid token');
  });
});
