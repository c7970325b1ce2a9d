import { CliError } from '../cli-error';
import { parseDurationFlag, parseKillTimeout, parseSignal } from './machine-flags';

describe(parseSignal.name, () => {
  it('accepts a signal with or without SIG, in any case', () => {
    expect(parseSignal('SIGTERM')).toBe('SIGTERM');
    expect(parseSignal('term')).toBe('SIGTERM');
    expect(parseSignal('sigusr1')).toBe('SIGUSR1');
  });

  it('refuses an unknown signal with exit 2, naming the known ones', () => {
    const error = (() => {
      try {
        parseSignal('SIGFOO');
      } catch (e) {
        return e as CliError;
      }
      throw new Error('expected a CliError');
    })();
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringContaining('unknown signal "SIGFOO"; use one of SIGABRT') });
  });
});

describe(parseDurationFlag.name, () => {
  it('reads bare integers as seconds and Go durations', () => {
    expect(parseDurationFlag('--wait-timeout', '30')).toBe(30_000);
    expect(parseDurationFlag('--wait-timeout', '1m30s')).toBe(90_000);
    expect(parseDurationFlag('--wait-timeout', '250ms')).toBe(250);
  });

  it('refuses anything else with exit 2, naming the flag', () => {
    for (const raw of ['abc', '', '-5', '10 s', '5x']) {
      expect(() => parseDurationFlag('--wait-timeout', raw)).toThrow(CliError);
    }
    expect(() => parseDurationFlag('--timeout', 'abc')).toThrow('--timeout: "abc" is not a duration; give seconds (30) or a duration like 30s or 1m30s');
  });
});

describe(parseKillTimeout.name, () => {
  it('gives the Go duration the API takes, at most 5m', () => {
    expect(parseKillTimeout('10')).toBe('10s');
    expect(parseKillTimeout('1m30s')).toBe('90s');
    expect(parseKillTimeout('1500ms')).toBe('1500ms');
    expect(() => parseKillTimeout('6m')).toThrow('--timeout: at most 5m; got "6m"');
  });
});
