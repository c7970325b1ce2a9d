/** One step of a key path: a table key, or an index into an array (of tables or of inline values). */
export type KeySegment = string | number;

/** Maps key paths of a TOML document to the 1-based line where they are written. */
export interface TomlLocator {
  /**
   * The line of `path`, or of its nearest written ancestor when the key itself is absent (a missing
   * `internal_port` points at its `[[services]]` header); `undefined` when no ancestor is written.
   */
  lineOf(path: readonly KeySegment[]): number | undefined;
}

const BARE_KEY = /[A-Za-z0-9_-]/;

function pathKey(path: readonly KeySegment[]): string {
  return path.map((s) => (typeof s === 'number' ? `#${s}` : `.${s}`)).join('');
}

/**
 * Scans TOML text for table headers, array-of-tables headers (counting occurrences), `key =` lines
 * and the keys of inline tables and arrays, remembering where each key path is first written.
 * It assumes the text already parsed (smol-toml reports syntax errors), so it is lenient: it only
 * needs to find positions, never to produce values.
 */
export function createTomlLocator(text: string): TomlLocator {
  const lines = new Map<string, number>();
  new Scanner(text, lines).run();
  return {
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        const line = lines.get(pathKey(path.slice(0, n)));
        if (line !== undefined) return line;
      }
      return undefined;
    },
  };
}

class Scanner {
  private pos = 0;
  private line = 1;
  private table: KeySegment[] = [];
  private readonly arrayCounts = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly lines: Map<string, number>,
  ) {}

  run(): void {
    while (this.skipBlank()) {
      if (this.text.startsWith('[[', this.pos)) this.arrayHeader();
      else if (this.text[this.pos] === '[') this.tableHeader();
      else this.keyValue(this.table);
      this.skipToLineEnd();
    }
  }

  private record(path: readonly KeySegment[], line: number): void {
    const key = pathKey(path);
    if (!this.lines.has(key)) this.lines.set(key, line);
  }

  /** Resolves a dotted header against arrays of tables seen so far: `services.ports` → `services[n].ports`. */
  private resolve(keys: string[]): KeySegment[] {
    const out: KeySegment[] = [];
    for (const key of keys) {
      out.push(key);
      const count = this.arrayCounts.get(pathKey(out));
      if (count !== undefined) out.push(count - 1);
    }
    return out;
  }

  private arrayHeader(): void {
    const line = this.line;
    this.pos += 2;
    const keys = this.readKeys();
    const parent = this.resolve(keys.slice(0, -1));
    const arrayPath = [...parent, keys[keys.length - 1]];
    const count = (this.arrayCounts.get(pathKey(arrayPath)) ?? 0) + 1;
    this.arrayCounts.set(pathKey(arrayPath), count);
    this.record(arrayPath, line);
    this.table = [...arrayPath, count - 1];
    this.record(this.table, line);
  }

  private tableHeader(): void {
    const line = this.line;
    this.pos += 1;
    this.table = this.resolve(this.readKeys());
    this.record(this.table, line);
  }

  private keyValue(prefix: readonly KeySegment[]): void {
    const line = this.line;
    const keys = this.readKeys();
    const path = [...prefix, ...keys];
    this.record(path, line);
    this.skipInline();
    if (this.text[this.pos] === '=') {
      this.pos += 1;
      this.value(path);
    }
  }

  /** Reads `a."b.c".'d'` up to (not including) `=`, `]` or a line end. */
  private readKeys(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipInline();
      const ch = this.text[this.pos];
      if (ch === '"' || ch === "'") keys.push(this.readQuotedKey(ch));
      else {
        const start = this.pos;
        while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos])) this.pos += 1;
        if (this.pos === start) return keys;
        keys.push(this.text.slice(start, this.pos));
      }
      this.skipInline();
      if (this.text[this.pos] !== '.') return keys;
      this.pos += 1;
    }
  }

  private readQuotedKey(quote: string): string {
    const start = this.pos;
    this.skipString();
    const raw = this.text.slice(start, this.pos);
    if (quote === "'") return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }

  private value(path: readonly KeySegment[]): void {
    this.skipInline();
    const ch = this.text[this.pos];
    if (ch === '"' || ch === "'") this.skipString();
    else if (ch === '[') this.arrayValue(path);
    else if (ch === '{') this.inlineTable(path);
    else while (this.pos < this.text.length && !/[,\]}\s#]/.test(this.text[this.pos])) this.pos += 1;
  }

  private arrayValue(path: readonly KeySegment[]): void {
    this.pos += 1;
    for (let index = 0; ; index++) {
      this.skipBlank();
      if (this.pos >= this.text.length) return;
      if (this.text[this.pos] === ']') {
        this.pos += 1;
        return;
      }
      const before = this.pos;
      this.record([...path, index], this.line);
      this.value([...path, index]);
      this.skipBlank();
      if (this.text[this.pos] === ',') this.pos += 1;
      else if (this.pos === before) this.pos += 1;
    }
  }

  private inlineTable(path: readonly KeySegment[]): void {
    this.pos += 1;
    for (;;) {
      this.skipBlank();
      const ch = this.text[this.pos];
      if (ch === undefined) return;
      if (ch === '}') {
        this.pos += 1;
        return;
      }
      if (ch === ',') this.pos += 1;
      else {
        const before = this.pos;
        this.keyValue(path);
        if (this.pos === before) this.pos += 1;
      }
    }
  }

  /** Skips a basic, literal or multi-line string starting at `pos`, counting newlines inside it. */
  private skipString(): void {
    const quote = this.text[this.pos];
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    const closing = triple ? quote.repeat(3) : quote;
    this.pos += closing.length;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\' && quote === '"') {
        if (this.text[this.pos + 1] === '\n') this.line += 1;
        this.pos += 2;
        continue;
      }
      if (this.text.startsWith(closing, this.pos)) {
        this.pos += closing.length;
        // A multi-line string may end with up to two extra quotes (`""""` is a quote then the end).
        while (triple && this.text[this.pos] === quote) this.pos += 1;
        return;
      }
      if (ch === '\n') {
        if (!triple) return;
        this.line += 1;
      }
      this.pos += 1;
    }
  }

  private skipInline(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos += 1;
  }

  /** Skips whitespace, newlines and comments; false at the end of the text. */
  private skipBlank(): boolean {
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\n') this.line += 1;
      else if (ch === '#') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos += 1;
        continue;
      } else if (ch !== ' ' && ch !== '\t' && ch !== '\r') return true;
      this.pos += 1;
    }
    return false;
  }

  /** After a statement: drop the rest of the line (a trailing `]`, `]]` or comment). */
  private skipToLineEnd(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') {
      const ch = this.text[this.pos];
      if (ch === '"' || ch === "'") this.skipString();
      else this.pos += 1;
    }
  }
}
