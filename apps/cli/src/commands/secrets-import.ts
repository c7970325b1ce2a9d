import { MAX_SECRET_VALUE_BYTES, RESERVED_SECRET_PREFIXES, SECRET_NAME_PATTERN } from '@hangar/contracts';

/** One problem of the input; `line` is 1-based. The message names the line and the secret, never a value. */
export interface ImportIssue {
  line: number;
  message: string;
}

export type ImportParse =
  | { ok: true; secrets: Record<string, string>; warnings: ImportIssue[] }
  | { ok: false; errors: ImportIssue[] };

const TRIPLE = '"""';
const utf8 = new TextEncoder();

/**
 * `hangar secrets import`: NAME=VALUE lines as flyctl's `secrets import` reads them. Blank lines and
 * `#` comments are skipped; the name is trimmed and leading spaces of the value dropped; a value in
 * double quotes loses them; a value opened with `"""` runs over the next lines until one ending in
 * `"""` (newlines kept). A name given twice takes its last value, as in flyctl (with a warning).
 * Unlike flyctl, every bad line is reported with its number and never with its text, a `"""` value
 * that is never closed is an error (flyctl drops it silently), `NAME="""x"""` on one line is `x`,
 * and a comment may be indented.
 */
export function parseSecretsImport(text: string): ImportParse {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const secrets: Record<string, string> = {};
  const seenAt: Record<string, number> = {};
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const accept = (name: string, value: string, line: number) => {
    const problem = valueProblem(name, value);
    if (problem) return errors.push({ line, message: problem });
    if (name in seenAt) warnings.push({ line, message: `${name} is given again (first on line ${seenAt[name]}); the value of line ${line} is used` });
    seenAt[name] = line;
    secrets[name] = value;
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) {
      errors.push({ line: lineNo, message: 'expected NAME=VALUE, but the line has no "="' });
      continue;
    }
    const name = line.slice(0, eq).trim();
    const nameError = nameProblem(name);
    if (nameError) {
      errors.push({ line: lineNo, message: nameError });
      continue;
    }
    const value = line.slice(eq + 1).replace(/^ +/, '');
    if (!value.startsWith(TRIPLE)) {
      accept(name, value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value, lineNo);
      continue;
    }
    const first = value.slice(TRIPLE.length);
    if (first.endsWith(TRIPLE)) {
      accept(name, first.slice(0, -TRIPLE.length), lineNo);
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && l.endsWith(TRIPLE));
    if (end < 0) {
      errors.push({ line: lineNo, message: `the value of ${name} opens with """ but no later line ends with """` });
      break;
    }
    accept(name, [first, ...lines.slice(i + 1, end), lines[end]!.slice(0, -TRIPLE.length)].join('\n'), lineNo);
    i = end;
  }
  if (errors.length > 0) return { ok: false, errors };
  if (Object.keys(secrets).length === 0) return { ok: false, errors: [{ line: 0, message: 'no NAME=VALUE line on stdin: at least one secret is required' }] };
  return { ok: true, secrets, warnings };
}

function nameProblem(name: string): string | undefined {
  if (name === '') return 'expected NAME=VALUE, but there is no name before "="';
  // Not shown: text that is not a name may well be part of a value (base64 padding makes an "=").
  if (!SECRET_NAME_PATTERN.test(name)) return 'the text before "=" is not a secret name: names are upper-case letters, digits and _, not starting with a digit';
  const prefix = RESERVED_SECRET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `secret name ${name} is reserved: names starting with ${RESERVED_SECRET_PREFIXES.join(' or ')} are refused`;
  return undefined;
}

function valueProblem(name: string, value: string): string | undefined {
  const bytes = utf8.encode(value).length;
  if (bytes > MAX_SECRET_VALUE_BYTES) return `the value of ${name} is ${bytes} bytes; at most ${MAX_SECRET_VALUE_BYTES} bytes (64 KiB) a value`;
  if (value.includes('\u0000')) return `the value of ${name} contains a NUL character, which no environment variable can hold`;
  return undefined;
}

/** How the issues are shown: `stdin line 3: …` (line 0: about the input as a whole). */
export function formatImportIssue(issue: ImportIssue): string {
  return issue.line > 0 ? `stdin line ${issue.line}: ${issue.message}` : issue.message;
}
