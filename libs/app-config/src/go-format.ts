import type { KeySegment } from './toml-locator';

/**
 * Go's `%v` text of a number that a JavaScript number cannot tell apart from another: an integer too
 * large to be exact, or a float literal with a whole value (`1e6` prints `1e+06`, the integer
 * `1000000` prints `1000000`). Keyed by the parsed container, so the tree keeps plain numbers.
 */
const GO_TEXT = new WeakMap<object, Map<KeySegment, string>>();

function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // strconv 'g' with the shortest precision: exponent form below 1e-4 or from 1e6 on.
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(x);
}

/**
 * Turns the bigints of a TOML tree parsed with `integersAsBigInt: true` into numbers, in place,
 * remembering Go's text wherever a number alone would print differently (see `goString`).
 */
export function numbersFromToml(value: unknown): void {
  if (typeof value !== 'object' || value === null || value instanceof Date) return;
  const entries: [KeySegment, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    let text: string | undefined;
    if (typeof child === 'bigint') {
      const n = Number(child);
      if (String(n) !== child.toString()) text = child.toString();
      (value as Record<KeySegment, unknown>)[key] = n;
    } else if (typeof child === 'number' && Number.isInteger(child) && goFloat(child) !== String(child)) {
      text = goFloat(child);
    } else {
      numbersFromToml(child);
    }
    if (text !== undefined) {
      const texts = GO_TEXT.get(value) ?? new Map<KeySegment, string>();
      texts.set(key, text);
      GO_TEXT.set(value, texts);
    }
  }
}

/**
 * A scalar as flyctl turns it into a string where it does (`castToString`, `fmt.Sprintf("%v")` in
 * internal/appconfig/patches.go): strings as they are, `true`/`false`, integers in decimal, floats in
 * Go's shortest form (`0.5`, `1e-05`, `1.5e+06`). `undefined` for anything else (dates, arrays,
 * tables), which Hangar refuses rather than store Go's `[a b]` or `map[k:v]`.
 */
export function goString(container: object, key: KeySegment): string | undefined {
  const value = (container as Record<KeySegment, unknown>)[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'number') return undefined;
  const remembered = GO_TEXT.get(container)?.get(key);
  if (remembered !== undefined) return remembered;
  return Number.isInteger(value) ? String(value) : goFloat(value);
}
