import type { ConfigIssue, ConfigWarning } from './app-config.types';
import { DURATION_HINT, parseDurationMs } from './durations';
import { goString } from './go-format';
import type { KeySegment, TomlLocator } from './toml-locator';

export type RawTable = Record<string, unknown>;

export const UNKNOWN_KEY = 'unknown key, ignored';
export const UNUSED_KEY = 'not used by hangar, ignored';

/**
 * What a bare number means under a fly.toml duration key, as flyctl reads it (internal/appconfig
 * patches.go). `seconds` and `milliseconds`: the key goes through `_castDuration` (`kill_timeout`;
 * a check's `interval`, `timeout`, `grace_period`), so a number is that unit once truncated to a whole
 * number, and `""` or a value of another type leaves the key unset. `strict`: flyctl patches nothing
 * (`[deploy]` timeouts): `""` is an error, and a bare number, which `fly.Duration` takes as
 * nanoseconds, is read as milliseconds with a warning.
 */
export type DurationStyle = 'seconds' | 'milliseconds' | 'strict';

export function isTable(value: unknown): value is RawTable {
  // smol-toml's TomlDate extends Date; dates are values, not tables.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** How a value is shown after `got` in messages: strings quoted, containers named. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (isTable(value)) return 'a table';
  if (typeof value === 'object' && value !== null) return 'a date';
  return String(value);
}

function formatKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/**
 * Renders a key path the way a user finds it in the file: a table section as `[deploy].strategy`,
 * an array of tables as `services[0].internal_port`, a top-level key as `app`.
 */
export function formatKeyPath(path: readonly KeySegment[], root: RawTable): string {
  if (path.length === 0) return '';
  const [head, ...rest] = path;
  let out = isTable(root[String(head)]) ? `[${formatKey(String(head))}]` : formatKey(String(head));
  for (const segment of rest) out += typeof segment === 'number' ? `[${segment}]` : `.${formatKey(segment)}`;
  return out;
}

/** Collects every error and warning of one parse, each located in the source text. */
export class IssueCollector {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigWarning[] = [];

  constructor(
    private readonly locator: TomlLocator,
    private readonly root: RawTable,
  ) {}

  error(path: readonly KeySegment[], message: string): void {
    const line = this.locator.lineOf(path);
    const formatted = formatKeyPath(path, this.root);
    this.errors.push(line === undefined ? { path: formatted, message } : { path: formatted, line, message });
  }

  warn(path: readonly KeySegment[], message: string): void {
    this.warnings.push({ path: formatKeyPath(path, this.root), message });
  }
}

/**
 * Typed, tolerant access to one TOML table. Every getter marks its key as known, reports a type
 * error (and returns `undefined`) instead of throwing, so one pass collects all issues; `finish()`
 * warns about the keys nobody asked for.
 */
export class Section {
  private readonly used = new Set<string>();

  constructor(
    readonly issues: IssueCollector,
    readonly path: readonly KeySegment[],
    readonly raw: RawTable,
  ) {}

  at(...keys: KeySegment[]): KeySegment[] {
    return [...this.path, ...keys];
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  /** The raw value, marked as known. */
  value(key: string): unknown {
    this.used.add(key);
    return this.raw[key];
  }

  error(key: string | KeySegment[], message: string): void {
    this.issues.error(typeof key === 'string' ? this.at(key) : [...this.path, ...key], message);
  }

  private wrongType(key: string, expected: string, value: unknown): undefined {
    this.error(key, `must be ${expected}; got ${describeValue(value)}`);
    return undefined;
  }

  string(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined || typeof value === 'string') return value;
    return this.wrongType(key, 'a string', value);
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined || typeof value === 'boolean') return value;
    return this.wrongType(key, 'true or false', value);
  }

  number(key: string): number | undefined {
    const value = this.value(key);
    if (value === undefined || (typeof value === 'number' && Number.isFinite(value))) return value;
    return this.wrongType(key, 'a number', value);
  }

  /** An integer ≥ `min`; numeric strings (`"20"`) are accepted as real files use them. */
  integer(key: string, min = 0): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min) return n;
    return this.wrongType(key, `an integer ≥ ${min}`, value);
  }

  /**
   * A TCP/UDP port 1–65535, as a number or a numeric string (`internal_port = "8080"`). With `truncate`,
   * a fraction is dropped as flyctl's `castToInt` does for the keys it patches.
   */
  port(key: string, truncate = false): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    let n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (truncate && typeof n === 'number' && Number.isFinite(n) && !Number.isInteger(n)) {
      this.issues.warn(this.at(key), `${n} is read as ${Math.trunc(n)}, as flyctl does`);
      n = Math.trunc(n);
    }
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
    return this.wrongType(key, 'a port number 1-65535', value);
  }

  /** Milliseconds: a Go duration string, or a bare number read as `style` says. */
  duration(key: string, style: DurationStyle): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const patched = style !== 'strict';
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return this.bareDuration(key, value, style);
    if (patched && value === '') return undefined;
    if (typeof value === 'string') {
      const ms = parseDurationMs(value);
      if (ms !== undefined) return ms;
    } else if (patched && typeof value !== 'number') {
      this.issues.warn(this.at(key), `is not a duration (got ${describeValue(value)}); ignored, as flyctl does`);
      return undefined;
    }
    this.error(key, `${DURATION_HINT}; got ${describeValue(value)}`);
    return undefined;
  }

  private bareDuration(key: string, value: number, style: DurationStyle): number {
    if (style === 'strict') {
      if (value > 0) this.issues.warn(this.at(key), `a bare number is nanoseconds to flyctl and milliseconds to hangar (${value}ms); write a duration like "${value}ms" or "5m"`);
      return Math.round(value);
    }
    // Go's time.Duration(float64) drops the fraction before flyctl scales it.
    const whole = Math.trunc(value);
    const unit = style === 'seconds' ? 's' : 'ms';
    if (whole !== value) this.issues.warn(this.at(key), `${value} is read as ${whole}${unit}: flyctl keeps whole ${style} only`);
    return style === 'seconds' ? whole * 1000 : whole;
  }

  /** A list of strings; a single string is taken as a one-element list. */
  stringList(key: string): string[] | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    return this.wrongType(key, 'a list of strings', value);
  }

  /**
   * A table of scalars, every value turned into a string as flyctl's `%v` does (`PORT = 8080` → `"8080"`,
   * see `goString`); `undefined` when absent.
   */
  stringMap(key: string): Record<string, string> | undefined {
    const table = this.table(key);
    if (!table) return undefined;
    const out: Record<string, string> = {};
    for (const name of Object.keys(table.raw)) {
      const text = table.scalarString(name);
      if (text !== undefined) out[name] = text;
    }
    return out;
  }

  /** A scalar turned into a string as flyctl's `%v` does; an error for a date, array or table. */
  scalarString(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const text = goString(this.raw, key);
    if (text === undefined) this.error(key, `must be a string, number or boolean; got ${describeValue(value)}`);
    return text;
  }

  table(key: string): Section | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (isTable(value)) return new Section(this.issues, this.at(key), value);
    return this.wrongType(key, 'a table', value);
  }

  /** `[[key]]` (an array of tables) or a single `[key]` table, as a list. */
  tables(key: string): Section[] {
    const value = this.value(key);
    if (value === undefined) return [];
    if (isTable(value)) return [new Section(this.issues, this.at(key), value)];
    if (Array.isArray(value)) {
      return value.flatMap((item, index) => {
        if (isTable(item)) return [new Section(this.issues, this.at(key, index), item)];
        this.error([key, index], `must be a table; got ${describeValue(item)}`);
        return [];
      });
    }
    this.wrongType(key, 'a table or a list of tables', value);
    return [];
  }

  /** Keys flyctl knows that Hangar has no use for: accepted with a warning. */
  ignore(...keys: string[]): void {
    for (const key of keys) if (this.value(key) !== undefined) this.issues.warn(this.at(key), UNUSED_KEY);
  }

  /** Warns about every key no getter asked for. */
  finish(): void {
    for (const key of Object.keys(this.raw)) if (!this.used.has(key)) this.issues.warn(this.at(key), UNKNOWN_KEY);
  }
}

/** Drops keys whose value is `undefined`, so optional values are absent rather than present-but-empty. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Reads a value that must be one of `allowed`, reporting `must be one of a, b; got "x"`. */
export function oneOf<T extends string>(section: Section, key: string, allowed: readonly T[]): T | undefined {
  const value = section.string(key);
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  section.error(key, `must be one of ${allowed.join(', ')}; got ${describeValue(value)}`);
  return undefined;
}
