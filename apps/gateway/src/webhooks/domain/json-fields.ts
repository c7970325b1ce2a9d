import { WebhookPayloadError } from './webhook-delivery';

/** `events[1].target.repository`-style paths; the root itself is reported as `body`. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function childPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function shown(path: string): string {
  return path === '' ? 'body' : path;
}

function wrongType(path: string, expected: string, value: unknown): WebhookPayloadError {
  return new WebhookPayloadError(shown(path), `${shown(path)} must be ${expected}, got ${describe(value)}`);
}

/** Parses a raw body as JSON; a failure is a `WebhookPayloadError` on `path` (default `body`). */
export function parseJson(raw: Uint8Array | string, path = 'body'): unknown {
  // TextDecoder drops a leading UTF-8 byte order mark, which JSON.parse would reject.
  const text = typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhookPayloadError(path, `${path} is not valid JSON: ${reason}`);
  }
}

/**
 * Typed, path-reporting access to one JSON object of a payload: every failed read throws a
 * `WebhookPayloadError` naming the field's full path, so a dialect never reports "bad payload" alone.
 */
export class JsonObject {
  private constructor(
    /** This object's path (`''` for the body itself). */
    readonly path: string,
    private readonly fields: Readonly<Record<string, unknown>>,
  ) {}

  static of(value: unknown, path = ''): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(path, 'a JSON object', value);
    return new JsonObject(path, value as Record<string, unknown>);
  }

  /** The body of a delivery as an object (`body is not valid JSON` / `body must be a JSON object`). */
  static parse(raw: Uint8Array | string): JsonObject {
    return JsonObject.of(parseJson(raw));
  }

  pathOf(key: string): string {
    return childPath(this.path, key);
  }

  /** Whether `key` is present and not null. */
  has(key: string): boolean {
    return this.fields[key] !== undefined && this.fields[key] !== null;
  }

  raw(key: string): unknown {
    return this.fields[key];
  }

  object(key: string): JsonObject {
    this.require(key);
    return JsonObject.of(this.fields[key], this.pathOf(key));
  }

  optionalObject(key: string): JsonObject | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  /** A string, possibly empty. */
  string(key: string): string {
    this.require(key);
    const value = this.fields[key];
    if (typeof value !== 'string') throw wrongType(this.pathOf(key), 'a string', value);
    return value;
  }

  /** A string that is not empty. */
  text(key: string): string {
    const value = this.string(key);
    if (value === '') throw new WebhookPayloadError(this.pathOf(key), `${this.pathOf(key)} is empty`);
    return value;
  }

  /** The string when present and not null; `undefined` otherwise. Present but not a string → error. */
  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  optionalNumber(key: string): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.fields[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(this.pathOf(key), 'a number', value);
    return value;
  }

  array(key: string): JsonArray {
    this.require(key);
    const value = this.fields[key];
    if (!Array.isArray(value)) throw wrongType(this.pathOf(key), 'an array', value);
    return new JsonArray(this.pathOf(key), value);
  }

  private require(key: string): void {
    if (!this.has(key)) throw new WebhookPayloadError(this.pathOf(key), `${this.pathOf(key)} is missing`);
  }
}

/** A JSON array of a payload with its path, so items report `events[2]`. */
export class JsonArray {
  constructor(
    readonly path: string,
    readonly items: readonly unknown[],
  ) {}

  static of(value: unknown, path = ''): JsonArray {
    if (!Array.isArray(value)) throw wrongType(path, 'an array', value);
    return new JsonArray(path, value);
  }

  get length(): number {
    return this.items.length;
  }

  pathAt(index: number): string {
    return `${this.path}[${index}]`;
  }

  objectAt(index: number): JsonObject {
    return JsonObject.of(this.items[index], this.pathAt(index));
  }

  stringAt(index: number): string {
    const value = this.items[index];
    if (typeof value !== 'string') throw wrongType(this.pathAt(index), 'a string', value);
    return value;
  }
}
