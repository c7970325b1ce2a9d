import { ErrorCodes, HangarError } from '@hangar/contracts';
import type { AppConfig, ConfigIssue } from './app-config.types';
import { formatConfigIssue, parseAppConfig, parseAppConfigOrThrow, toJsonErrors } from './parse-app-config';

function parseOk(lines: string[]): AppConfig {
  const result = parseAppConfig(lines.join('\n'));
  if (!result.ok) throw new Error(result.errors.map((e) => formatConfigIssue('fly.toml', e)).join('\n'));
  return result.config;
}

function parseErrors(lines: string[]): ConfigIssue[] {
  const result = parseAppConfig(lines.join('\n'));
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.errors;
}

describe(parseAppConfig.name, () => {
  describe('errors', () => {
    it('reports a TOML syntax error as one issue on its line', () => {
      expect(parseErrors(['app = "a"', '[deploy]', 'strategy = '])).toEqual([
        { path: '', line: 3, message: 'invalid TOML: invalid value' },
      ]);
    });

    it('rejects an unknown strategy with the documented message', () => {
      const errors = parseErrors(['app = "a"', '[deploy]', '  strategy = "blue-green"']);
      expect(errors).toEqual([
        { path: '[deploy].strategy', line: 3, message: 'must be one of rolling, immediate, canary, bluegreen; got "blue-green"' },
      ]);
      expect(formatConfigIssue('fly.toml', errors[0])).toBe(
        'fly.toml:3: [deploy].strategy must be one of rolling, immediate, canary, bluegreen; got "blue-green"',
      );
    });

    it('rejects a NUL character in a value, naming the key and line (review row 98)', () => {
      expect(parseErrors(['app = "a"', '[env]', '  A = "a\\u0000b"', '[processes]', '  web = "run \\u0000"'])).toEqual([
        { path: '[env].A', line: 3, message: 'must not contain a NUL character' },
        { path: '[processes].web', line: 5, message: 'must not contain a NUL character' },
      ]);
    });

    it.each([['0'], ['-1'], ['"half"']])('rejects max_unavailable = %s', (value) => {
      expect(parseErrors(['[deploy]', `max_unavailable = ${value}`])).toEqual([
        { path: '[deploy].max_unavailable', line: 2, message: `must be a number greater than 0; got ${value}` },
      ]);
    });

    it('rejects a bad duration string', () => {
      expect(parseErrors(['[deploy]', 'strategy = "rolling"', 'wait_timeout = "soon"'])).toEqual([
        { path: '[deploy].wait_timeout', line: 3, message: 'must be a duration like "5m" or "30s"; got "soon"' },
      ]);
    });

    it.each([['0'], ['70000'], ['"http"']])('rejects internal_port = %s', (value) => {
      expect(parseErrors(['[[services]]', `internal_port = ${value}`])).toEqual([
        { path: 'services[0].internal_port', line: 2, message: `must be a port number 1-65535; got ${value}` },
      ]);
    });

    it('rejects a bad app name', () => {
      expect(parseErrors(['app = "My_App"'])).toEqual([
        { path: 'app', line: 1, message: 'must be 1-63 lowercase letters, digits or dashes, starting with a letter; got "My_App"' },
      ]);
    });

    it('rejects [env] names starting with FLY_', () => {
      expect(parseErrors(['[env]', 'OK = "1"', 'FLY_REGION = "ams"'])).toEqual([
        { path: '[env].FLY_REGION', line: 3, message: 'must not start with FLY_ (reserved for the platform)' },
      ]);
    });

    it('rejects references to process groups that [processes] does not define', () => {
      const errors = parseErrors([
        '[processes]', //                                 1
        'web = "serve"', //                               2
        '[[services]]', //                                3
        'internal_port = 80', //                          4
        'processes = ["web", "api"]', //                  5
        '[[mounts]]', //                                  6
        'source = "d"', //                                7
        'destination = "/d"', //                          8
        'processes = ["worker"]', //                      9
        '[checks.c]', //                                  10
        'type = "tcp"', //                                11
        'port = 80', //                                   12
        'processes = ["cron"]', //                        13
        '[[vm]]', //                                      14
        'processes = ["gpu"]', //                         15
      ]);
      const suffix = 'which is not defined in [processes] (groups: web)';
      expect(errors).toEqual([
        { path: 'services[0].processes', line: 5, message: `refers to process group 'api', ${suffix}` },
        { path: 'mounts[0].processes', line: 9, message: `refers to process group 'worker', ${suffix}` },
        { path: '[checks].c.processes', line: 13, message: `refers to process group 'cron', ${suffix}` },
        { path: 'vm[0].processes', line: 15, message: `refers to process group 'gpu', ${suffix}` },
      ]);
    });

    it('accepts processes = ["app"] without [processes], since app is the implicit group', () => {
      expect(parseOk(['[http_service]', 'internal_port = 80', 'processes = ["app"]']).services).toHaveLength(1);
    });

    it('rejects more than one mount per process group', () => {
      const mount = (source: string, scope: string) => ['[[mounts]]', `source = "${source}"`, `destination = "/${source}"`, scope];
      expect(parseErrors([...mount('a', ''), ...mount('b', '')])).toEqual([
        { path: 'mounts[1]', line: 5, message: "group 'app' has more than one [[mounts]] section defined" },
      ]);
      const scoped = ['[processes]', 'web = "w"', 'db = "d"', ...mount('a', 'processes = ["web"]'), ...mount('b', 'processes = ["db"]')];
      expect(parseOk(scoped).mounts).toHaveLength(2);
    });

    it('rejects a mount at /', () => {
      expect(parseErrors(['[mounts]', 'source = "data"', 'destination = "/"'])).toEqual([
        { path: '[mounts].destination', line: 3, message: 'must not be "/"' },
      ]);
    });

    it.each(['canary', 'bluegreen'])('rejects strategy %s with [mounts]', (strategy) => {
      const errors = parseErrors(['[deploy]', `strategy = "${strategy}"`, '[[mounts]]', 'source = "d"', 'destination = "/d"', '[checks.up]', 'type = "tcp"', 'port = 80']);
      expect(errors).toEqual([{ path: '[deploy].strategy', line: 2, message: `${strategy} is not allowed with [mounts]` }]);
      expect(formatConfigIssue('fly.toml', errors[0])).toBe(`fly.toml:2: [deploy].strategy ${strategy} is not allowed with [mounts]`);
    });

    it('rejects bluegreen without any health check', () => {
      expect(parseErrors(['[deploy]', 'strategy = "bluegreen"', '[http_service]', 'internal_port = 80'])).toEqual([
        { path: '[deploy].strategy', line: 2, message: 'bluegreen requires at least one health check ([checks] or a service check)' },
      ]);
    });

    it('rejects a service without internal_port, pointing at its header', () => {
      expect(parseErrors(['[[services]]', 'internal_port = 80', '', '[[services]]', 'protocol = "tcp"'])).toEqual([
        { path: 'services[1].internal_port', line: 4, message: 'is required' },
      ]);
    });

    it('requires every service to name its processes once [processes] exists', () => {
      expect(parseErrors(['[processes]', 'web = "w"', '[http_service]', 'internal_port = 80', '[[services]]', 'internal_port = 81'])).toEqual([
        { path: '[http_service].processes', line: 3, message: 'is required once [processes] is defined: name the groups this service runs in' },
        { path: 'services[0].processes', line: 5, message: 'is required once [processes] is defined: name the groups this service runs in' },
      ]);
    });

    it('requires type on top-level checks, and port unless [http_service] exists', () => {
      expect(parseErrors(['[checks.up]', 'interval = "10s"'])).toEqual([
        { path: '[checks].up.type', line: 1, message: 'is required (http or tcp)' },
        { path: '[checks].up.port', line: 1, message: 'is required when there is no [http_service] to take internal_port from' },
      ]);
    });

    it('rejects commands that cannot be split without a shell', () => {
      const errors = parseErrors(['[deploy]', 'release_command = "bin/migrate && bin/seed"']);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ path: '[deploy].release_command', line: 2 });
      expect(errors[0].message).toContain('shell operator "&&"');
    });

    it('reports wrong value types with what it got', () => {
      expect(parseErrors(['primary_region = 5', '[deploy]', 'auto_rollback = "yes"'])).toEqual([
        { path: 'primary_region', line: 1, message: 'must be a string; got 5' },
        { path: '[deploy].auto_rollback', line: 3, message: 'must be true or false; got "yes"' },
      ]);
    });

    it('collects every issue in the file, sorted by line', () => {
      const errors = parseErrors([
        'app = "Bad Name"', //                  1
        'kill_timeout = "forever"', //          2
        '[deploy]', //                          3
        'strategy = "fast"', //                 4
        'max_unavailable = 0', //               5
        '[env]', //                             6
        'FLY_APP_NAME = "x"', //                7
        '[[services]]', //                      8
        'internal_port = 0', //                 9
        '[[mounts]]', //                        10
        'source = "data"', //                   11
        'destination = "/"', //                 12
      ]);
      expect(errors.map((e) => [e.line, e.path])).toEqual([
        [1, 'app'],
        [2, 'kill_timeout'],
        [4, '[deploy].strategy'],
        [5, '[deploy].max_unavailable'],
        [7, '[env].FLY_APP_NAME'],
        [9, 'services[0].internal_port'],
        [12, 'mounts[0].destination'],
      ]);
    });
  });
});

describe(formatConfigIssue.name, () => {
  it('prints file, line, path and message', () => {
    expect(formatConfigIssue('fly.toml', { path: '[deploy].strategy', line: 12, message: 'must be one of rolling, immediate, canary, bluegreen; got "blue-green"' })).toBe(
      'fly.toml:12: [deploy].strategy must be one of rolling, immediate, canary, bluegreen; got "blue-green"',
    );
  });

  it('leaves out the line when there is none, and the path when it is empty', () => {
    expect(formatConfigIssue('fly.toml', { path: 'app', message: 'is required' })).toBe('fly.toml: app is required');
    expect(formatConfigIssue('config/fly.toml', { path: '', line: 3, message: 'invalid TOML: invalid value' })).toBe('config/fly.toml:3: invalid TOML: invalid value');
  });
});

describe(toJsonErrors.name, () => {
  it('is the { errors: [{ path, line, message }] } document, without line when unknown', () => {
    expect(toJsonErrors([{ path: 'a', line: 1, message: 'm' }, { path: 'b', message: 'n' }])).toEqual({
      errors: [{ path: 'a', line: 1, message: 'm' }, { path: 'b', message: 'n' }],
    });
  });
});

describe(parseAppConfigOrThrow.name, () => {
  it('returns the config when valid', () => {
    expect(parseAppConfigOrThrow('app = "ok"').app).toBe('ok');
  });

  it('throws CONFIG.INVALID with every formatted issue and the issues as details', () => {
    let thrown: unknown;
    try {
      parseAppConfigOrThrow('[deploy]\nstrategy = "x"\nwait_timeout = "y"', { file: 'app/fly.toml' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HangarError);
    const error = thrown as HangarError;
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(error.message.split('\n')).toEqual([
      'app/fly.toml:2: [deploy].strategy must be one of rolling, immediate, canary, bluegreen; got "x"',
      'app/fly.toml:3: [deploy].wait_timeout must be a duration like "5m" or "30s"; got "y"',
    ]);
    expect(error.details).toMatchObject({ file: 'app/fly.toml', errors: [{ line: 2 }, { line: 3 }] });
  });
});
