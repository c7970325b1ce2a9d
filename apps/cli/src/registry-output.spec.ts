import type { PushLogEntry, TriggerLogEntry } from '@hangar/contracts';
import { CliError, ExitCode } from './cli-error';
import { formatCreatedReceiver, formatPushLog, formatReceivers, formatTriggerLog, parseLimit, parseSource, pushOutcome, shortDigest } from './registry-output';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe(parseSource.name, () => {
  it('accepts every registry source', () => {
    for (const s of ['distribution', 'dockerhub', 'ghcr', 'harbor', 'quay', 'ecr', 'gar', 'acr', 'jfrog']) expect(parseSource(s)).toBe(s);
  });

  it('refuses another with exit code 2, naming the allowed ones', () => {
    const attempt = () => parseSource('gitlab');
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow('unknown --source "gitlab": use one of distribution, dockerhub, ghcr, harbor, quay, ecr, gar, acr, jfrog');
    expect(attempt).toThrow("(GitLab's registry sends distribution notifications: --source distribution)");
    expect(() => parseSource('quay.io')).toThrow(/jfrog$/);
    try {
      attempt();
    } catch (error) {
      expect((error as CliError).exitCode).toBe(ExitCode.USAGE);
    }
  });
});

describe(parseLimit.name, () => {
  it('takes 1 to 1000 and refuses the rest', () => {
    expect(parseLimit(undefined)).toBeUndefined();
    expect(parseLimit('50')).toBe(50);
    expect(() => parseLimit('0')).toThrow('--limit must be an integer from 1 to 1000; got "0"');
    expect(() => parseLimit('5000')).toThrow(CliError);
  });
});

describe(formatCreatedReceiver.name, () => {
  const url = 'http://127.0.0.1:4280/v1/webhooks/registry/01JTQ3';

  it('shows a generated secret once, saying so, and where the registry sends it', () => {
    expect(formatCreatedReceiver({ id: '01JTQ3', source: 'distribution', host: 'registry.example.com', url, secret: 'hrs_abc' })).toEqual([
      'Receiver 01JTQ3 added for distribution pushes to registry.example.com',
      `  URL:    ${url}`,
      '  Secret: hrs_abc',
      'The secret is shown only now: Hangar never shows it again.',
      'Registry setup: send it as the header "Authorization: Bearer <secret>" (notifications.endpoints[].headers); see README "Registry push triggers".',
    ]);
  });

  it('gives the ready-made URL for registries that send the secret as ?token=', () => {
    const lines = formatCreatedReceiver({ id: '01JTQ3', source: 'dockerhub', host: 'docker.io', url, secret: 'a/b+c' });
    expect(lines).toContain(`  URL with the secret: ${url}?token=a%2Fb%2Bc`);
  });

  it('never prints a secret the user gave', () => {
    const lines = formatCreatedReceiver({ id: '01JTQ3', source: 'quay', host: 'quay.io', repositoryPrefix: 'acme', url });
    expect(lines[0]).toBe('Receiver 01JTQ3 added for quay pushes to quay.io/acme/…');
    expect(lines.join('\n')).not.toMatch(/Secret:|shown only now/);
    expect(lines).toContain('Registry setup: append it to the URL as ?token=<secret>; see README "Registry push triggers".');
  });
});

describe(formatReceivers.name, () => {
  it('lists id, source, the pushes it may report, URL, creator and time', () => {
    const lines = formatReceivers([{ id: 'r1', source: 'ghcr', host: 'ghcr.io', url: 'http://h/v1/webhooks/registry/r1', createdAt: '2026-05-01T12:00:00.000Z', createdBy: 'admin' }]);
    expect(lines).toEqual([
      'ID  SOURCE  PUSHES TO  URL                               CREATED BY  CREATED AT',
      'r1  ghcr    ghcr.io    http://h/v1/webhooks/registry/r1  admin       2026-05-01T12:00:00.000Z',
    ]);
  });

  it('says a receiver with no host recorded reports nothing', () => {
    const lines = formatReceivers([{ id: 'r2', source: 'distribution', url: 'http://h/v1/webhooks/registry/r2', createdAt: '2026-05-01T12:00:00.000Z', createdBy: 'admin' }]);
    expect(lines[1]).toContain('nothing (no host recorded: add a new receiver with --host)');
  });
});

describe(shortDigest.name, () => {
  it('shows the first 12 hex characters, or - when the push named none', () => {
    expect(shortDigest(DIGEST)).toBe('0123456789ab');
    expect(shortDigest(undefined)).toBe('-');
  });
});

describe(formatTriggerLog.name, () => {
  const base = { triggerId: 't1', app: 'demo', image: 'ghcr.io/acme/web', pushedAt: '2026-05-01T11:59:59.000Z' };

  it('prints one line per push: time, image:tag, short digest, deployed vN or skipped with the reason', () => {
    const entries: TriggerLogEntry[] = [
      { ...base, at: '2026-05-01T12:02:00.000Z', tag: '2.0.0', digest: DIGEST, result: 'skipped', reason: 'tag policy semver:^1 rejects 2.0.0' },
      { ...base, at: '2026-05-01T12:01:30.000Z', tag: '1.4.1', digest: DIGEST, result: 'deployed', releaseId: 'rel8', version: 8, reason: 'superseded the queued v7' },
      { ...base, at: '2026-05-01T12:01:00.000Z', tag: '1.4.0', digest: DIGEST, result: 'deployed', releaseId: 'rel', version: 7 },
      { ...base, at: '2026-05-01T12:00:00.000Z', tag: '1.3.0', result: 'skipped', reason: 'digest already deployed' },
    ];
    expect(formatTriggerLog('demo', entries)).toEqual([
      'TIME                      IMAGE                   DIGEST        RESULT',
      '2026-05-01T12:02:00.000Z  ghcr.io/acme/web:2.0.0  0123456789ab  skipped: tag policy semver:^1 rejects 2.0.0',
      '2026-05-01T12:01:30.000Z  ghcr.io/acme/web:1.4.1  0123456789ab  deployed v8 (superseded the queued v7)',
      '2026-05-01T12:01:00.000Z  ghcr.io/acme/web:1.4.0  0123456789ab  deployed v7',
      '2026-05-01T12:00:00.000Z  ghcr.io/acme/web:1.3.0  -             skipped: digest already deployed',
    ]);
  });

  it('says so when nothing was followed yet', () => {
    expect(formatTriggerLog('demo', [])).toEqual(['No pushes followed by a trigger of demo yet']);
  });
});

describe(formatPushLog.name, () => {
  const push = (evaluation: PushLogEntry['evaluation']): PushLogEntry => ({
    at: '2026-05-01T12:00:00.000Z',
    pushEventId: 'e1',
    host: 'docker.io',
    repository: 'library/nginx',
    tag: '1.27',
    pushedAt: '2026-05-01T12:00:00.000Z',
    source: 'dockerhub',
    ...(evaluation ? { evaluation } : {}),
  });

  it('shows every push with its outcomes per app, or why nothing deployed', () => {
    expect(
      pushOutcome(
        push({
          outcomes: [
            { triggerId: 't1', app: 'web', result: 'deployed', version: 3 },
            { triggerId: 't2', app: 'api', result: 'skipped', reason: 'tag policy exact:stable rejects 1.27' },
          ],
        }),
      ),
    ).toBe('web: deployed v3; api: skipped: tag policy exact:stable rejects 1.27');
    expect(pushOutcome(push({ outcomes: [], reason: 'no trigger matches' }))).toBe('no trigger matches');
    expect(pushOutcome(push({ outcomes: [] }))).toBe('no trigger matches');
    expect(pushOutcome(push(undefined))).toBe('pending: not evaluated yet');
  });

  it('prints time, host/repository:tag, digest, source and outcome', () => {
    expect(formatPushLog([push({ outcomes: [], reason: 'no trigger matches' })])).toEqual([
      'TIME                      IMAGE                         DIGEST  SOURCE     OUTCOME',
      '2026-05-01T12:00:00.000Z  docker.io/library/nginx:1.27  -       dockerhub  no trigger matches',
    ]);
  });
});
