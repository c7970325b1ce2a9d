import { toJsonContract } from './app-config.helpers';
import { formatConfigIssue, parseAppConfig, toJsonErrors } from './parse-app-config';
import { splitCommand } from './split-command';

/** What `hangar config validate --json` prints for a valid file (apps/cli config.command.ts). */
function validateJson(toml: string): unknown {
  const result = parseAppConfig(toml);
  if (!result.ok) throw new Error(result.errors.map((e) => formatConfigIssue('fly.toml', e)).join('\n'));
  return JSON.parse(JSON.stringify(toJsonContract(result.config)));
}

/** What it prints for an invalid one. */
function validateErrors(toml: string): unknown {
  const result = parseAppConfig(toml);
  if (result.ok) throw new Error('expected the config to be invalid');
  return toJsonErrors(result.errors);
}

/** The normalised config of an empty file; each test adds what its shape gives. */
const EMPTY = { env: {}, processes: { app: '' }, mounts: [], services: [], checks: {}, vm: [], warnings: [] };

describe('config validate --json: fly.toml shapes flyctl patches (internal/appconfig/patches.go)', () => {
  describe('kill_timeout (patchTopFields, _castDuration in seconds)', () => {
    it('reads a bare integer as seconds, with no warning', () => {
      expect(validateJson('kill_timeout = 10\n')).toEqual({ ...EMPTY, killTimeoutMs: 10_000 });
    });

    it.each([
      ['"1m30s"', 90_000],
      ['"2500ms"', 2_500],
      ['"1.5s"', 1_500],
    ])('reads the string %s with Go syntax', (value, ms) => {
      expect(validateJson(`kill_timeout = ${value}\n`)).toEqual({ ...EMPTY, killTimeoutMs: ms });
    });

    it('leaves kill_timeout = "" unset', () => {
      expect(validateJson('kill_timeout = ""\n')).toEqual(EMPTY);
    });

    it('drops the fraction of a bare number as Go does, saying so', () => {
      expect(validateJson('kill_timeout = 2.5\n')).toEqual({
        ...EMPTY,
        killTimeoutMs: 2_000,
        warnings: [{ path: 'kill_timeout', message: '2.5 is read as 2s: flyctl keeps whole seconds only' }],
      });
    });

    it('ignores a value that is not a duration, as flyctl does, with a warning', () => {
      expect(validateJson('kill_timeout = true\n')).toEqual({
        ...EMPTY,
        warnings: [{ path: 'kill_timeout', message: 'is not a duration (got true); ignored, as flyctl does' }],
      });
    });

    it('still rejects a string Go cannot parse, or a negative number, with line and key', () => {
      expect(validateErrors('app = "a"\nkill_timeout = "10"\n')).toEqual({
        errors: [{ path: 'kill_timeout', line: 2, message: 'must be a duration like "5m" or "30s"; got "10"' }],
      });
      expect(validateErrors('kill_timeout = -5\n')).toEqual({
        errors: [{ path: 'kill_timeout', line: 1, message: 'must be a duration like "5m" or "30s"; got -5' }],
      });
    });

    it('lifts [experimental] kill_timeout to the top level when none is set there (flyctl experimental-alt.toml)', () => {
      const toml = ['app = "foo"', '', '[experimental]', 'cmd = "cmd"', 'exec = "exec"', 'entrypoint = "entrypoint"', 'kill_timeout = 3', 'metrics_port = 9000', 'metrics_path = "/foo"', ''].join('\n');
      expect(validateJson(toml)).toEqual({
        ...EMPTY,
        app: 'foo',
        killTimeoutMs: 3_000,
        processes: { app: 'cmd' },
        warnings: [
          { path: '[experimental].entrypoint', message: 'not used by hangar, ignored' },
          { path: '[experimental].exec', message: 'not used by hangar, ignored' },
          { path: '[experimental].metrics_port', message: 'not used by hangar, ignored' },
          { path: '[experimental].metrics_path', message: 'not used by hangar, ignored' },
          { path: '[experimental]', message: 'legacy section: put cmd in [processes], kill_timeout at the top level and auto_rollback in [deploy]' },
        ],
      });
    });

    it('keeps the top-level kill_timeout over [experimental]', () => {
      expect(validateJson('kill_timeout = "30s"\n[experimental]\nkill_timeout = 3\n')).toMatchObject({
        killTimeoutMs: 30_000,
        warnings: [
          { path: '[experimental].kill_timeout', message: 'ignored because kill_timeout is set at the top level' },
          { path: '[experimental]', message: expect.stringContaining('legacy section') },
        ],
      });
    });
  });

  describe('[deploy] durations (no flyctl patch)', () => {
    it('reads Go duration strings', () => {
      expect(validateJson('[deploy]\nwait_timeout = "1m30s"\nrelease_command_timeout = "2500ms"\n')).toEqual({
        ...EMPTY,
        deploy: { waitTimeoutMs: 90_000, releaseCommandTimeoutMs: 2_500 },
      });
    });

    it('rejects wait_timeout = "" as flyctl does (fly.Duration cannot parse it)', () => {
      expect(validateErrors('[deploy]\nwait_timeout = ""\n')).toEqual({
        errors: [{ path: '[deploy].wait_timeout', line: 2, message: 'must be a duration like "5m" or "30s"; got ""' }],
      });
    });
  });

  describe('[[env]] (patchEnv)', () => {
    it('merges a list of tables, values as strings (flyctl env-list.toml)', () => {
      expect(validateJson('app = "foo"\n\n[[env]]\nFOO = "BAR"\nTWO = 2\n\n[[env]]\nTRUE = true\n')).toEqual({
        ...EMPTY,
        app: 'foo',
        env: { FOO: 'BAR', TWO: '2', TRUE: 'true' },
      });
    });

    it('lets later keys win and turns numbers into the strings Go prints', () => {
      const toml = [
        '[[env]]', 'A = "first"', 'B = 1.5', 'BIG = 123456789012345678',
        '[[env]]', 'A = "second"', 'MILLION = 1e6', 'COUNT = 1000000', 'TINY = 0.00001', 'WHOLE = 3.0',
      ].join('\n');
      expect(validateJson(toml)).toEqual({
        ...EMPTY,
        env: { A: 'second', B: '1.5', BIG: '123456789012345678', MILLION: '1e+06', COUNT: '1000000', TINY: '1e-05', WHOLE: '3' },
      });
    });

    it('prints special floats as Go does', () => {
      expect(validateJson('[env]\nN = nan\nP = inf\nM = -inf\nZ = -0.0\nE = 1.5e300\n')).toEqual({
        ...EMPTY,
        env: { N: 'NaN', P: '+Inf', M: '-Inf', Z: '-0', E: '1.5e+300' },
      });
    });

    it('reads an inline list of tables the same way', () => {
      expect(validateJson('env = [{ A = "1", B = "x" }, { B = "y" }]\n')).toEqual({ ...EMPTY, env: { A: '1', B: 'y' } });
    });

    it('rejects what flyctl rejects, and FLY_ names, with the entry\'s line and path', () => {
      expect(validateErrors('app = "a"\nenv = "PORT=8080"\n')).toEqual({
        errors: [{ path: 'env', line: 2, message: 'must be a table or a list of tables; got "PORT=8080"' }],
      });
      expect(validateErrors('[[env]]\nA = "1"\n[[env]]\nFLY_REGION = "ams"\nLIST = [1, 2]\n')).toEqual({
        errors: [
          { path: 'env[1].FLY_REGION', line: 4, message: 'must not start with FLY_ (reserved for the platform)' },
          { path: 'env[1].LIST', line: 5, message: 'must be a string, number or boolean; got an array' },
        ],
      });
    });
  });

  describe('[[processes]] (patchProcesses)', () => {
    it('reads a list of { name, command } as the [processes] table (flyctl old-processes.toml)', () => {
      const toml = '[[processes]]\nname = "web"\ncommand = "./web"\n\n[[processes]]\nname = "worker"\ncommand = "./worker"\n';
      expect(validateJson(toml)).toEqual({ ...EMPTY, processes: { web: './web', worker: './worker' } });
    });

    it('gives an entry without command an empty one and skips an empty entry (the old API\'s "no processes")', () => {
      expect(validateJson('[[processes]]\nname = "web"\n')).toEqual({ ...EMPTY, processes: { web: '' } });
      expect(validateJson('[[processes]]\n')).toEqual(EMPTY);
    });

    it('skips an entry without a name, and lets a later name win, with warnings', () => {
      const toml = '[[processes]]\ncommand = "./orphan"\n[[processes]]\nname = "web"\ncommand = "./old"\n[[processes]]\nname = "web"\ncommand = "./new"\n';
      expect(validateJson(toml)).toEqual({
        ...EMPTY,
        processes: { web: './new' },
        warnings: [
          { path: 'processes[0]', message: 'has no name; ignored, as flyctl does' },
          { path: 'processes[2].name', message: "defines process group 'web' again; the later one wins" },
        ],
      });
    });

    it('checks names and commands as in the table, at the entry\'s line', () => {
      const errors = validateErrors('[[processes]]\nname = "Web"\ncommand = "./web"\n[[processes]]\nname = "worker"\ncommand = "a && b"\n') as { errors: { path: string; line: number; message: string }[] };
      expect(errors.errors.map((e) => [e.path, e.line])).toEqual([
        ['processes[0].name', 2],
        ['processes[1].command', 6],
      ]);
      expect(errors.errors[1].message).toContain('shell operator "&&"');
    });
  });

  describe('[experimental] (patchExperimental)', () => {
    it('runs a string cmd as one argv element, as flyctl passes it, warning when it has blanks', () => {
      const json = validateJson('[experimental]\ncmd = "bundle exec puma"\n') as { processes: { app: string }; warnings: unknown[] };
      expect(json.processes).toEqual({ app: "'bundle exec puma'" });
      expect(splitCommand(json.processes.app)).toEqual(['bundle exec puma']);
      expect(json.warnings).toContainEqual({
        path: '[experimental].cmd',
        message: 'a string is one argument, as flyctl passes it: "bundle exec puma" names one program; write a list to split it',
      });
    });

    it('rejects cmd, entrypoint and exec lists with non-strings, as flyctl does', () => {
      expect(validateErrors('[experimental]\ncmd = ["./server", 8080]\nentrypoint = [1]\n')).toEqual({
        errors: [
          { path: '[experimental].cmd', line: 2, message: 'must be a list of strings; got an array' },
          { path: '[experimental].entrypoint', line: 3, message: 'must be a list of strings; got an array' },
        ],
      });
    });
  });

  describe('[build] (patchBuild)', () => {
    it('accepts build_target as flyctl renames it, and stringifies args', () => {
      expect(validateJson('[build]\nbuild_target = "thalayer"\nbuilder = "heroku/builder:22"\n[build.args]\nNODE_VERSION = 20\n')).toEqual({
        ...EMPTY,
        build: { builder: 'heroku/builder:22', args: { NODE_VERSION: '20' } },
        warnings: [{ path: '[build].build_target', message: 'not used by hangar, ignored' }],
      });
    });
  });

  describe('[mount], [[compute]], [metric] (patchMounts, patchCompute, patchMetrics)', () => {
    it('reads singular [mount], [vm] memory as a number (flyctl format-quirks.toml)', () => {
      const toml = 'app = "foo"\n\n[vm]\nmemory = 512\n\n[mount]\nsource = "data"\ndestination = "/data"\ninitial_size = 200\nsnapshot_retention = 10\n';
      expect(validateJson(toml)).toEqual({
        ...EMPTY,
        app: 'foo',
        mounts: [{ source: 'data', destination: '/data', initialSize: '200gb' }],
        vm: [{ memoryMb: 512 }],
        warnings: [{ path: '[mount].snapshot_retention', message: 'not used by hangar, ignored' }],
      });
    });

    it('lists [mount] before [[mounts]], as flyctl merges them', () => {
      const toml = '[processes]\nweb = "./web"\nworker = "./worker"\n[[mounts]]\nsource = "jobs"\ndestination = "/jobs"\nprocesses = ["worker"]\n[mount]\nsource = "site"\ndestination = "/site"\nprocesses = ["web"]\n';
      expect((validateJson(toml) as { mounts: unknown }).mounts).toEqual([
        { source: 'site', destination: '/site', processes: ['web'] },
        { source: 'jobs', destination: '/jobs', processes: ['worker'] },
      ]);
    });

    it('merges [[compute]] and [[computes]] into [[vm]], in that order', () => {
      const toml = '[[vm]]\nsize = "shared-cpu-2x"\n[[compute]]\nmemory = "1gb"\ncpus = 2\n[computes]\ncpu_kind = "performance"\n';
      expect(validateJson(toml)).toEqual({ ...EMPTY, vm: [{ memoryMb: 1024, cpus: 2 }, { cpuKind: 'performance' }, { size: 'shared-cpu-2x' }] });
    });

    it('knows the singular [metric], which it does not use', () => {
      expect(validateJson('[metric]\nport = 9091\npath = "/metrics"\n')).toEqual({
        ...EMPTY,
        warnings: [{ path: '[metric]', message: 'not used by hangar, ignored' }],
      });
    });
  });
});
