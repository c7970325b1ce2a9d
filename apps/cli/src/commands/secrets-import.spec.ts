import { formatImportIssue, parseSecretsImport, type ImportParse } from './secrets-import';

const secretsOf = (parsed: ImportParse) => {
  if (!parsed.ok) throw new Error(parsed.errors.map(formatImportIssue).join('\n'));
  return parsed.secrets;
};
const errorsOf = (parsed: ImportParse) => (parsed.ok ? [] : parsed.errors.map(formatImportIssue));

describe(parseSecretsImport.name, () => {
  it("reads flyctl's cases: comments, blank lines, CRLF, spaces around =, double quotes, = and , in values", () => {
    const text = '\n# A comment plus a new line with spaces\n   \nFOO=BAR\r\n# Another comment\nQUX = NAH\nURL=postgres://u:p@h/db?a=b,c=d\nQUOTED="BAR BAZ"\nEMPTY=\n';
    expect(secretsOf(parseSecretsImport(text))).toEqual({ FOO: 'BAR', QUX: 'NAH', URL: 'postgres://u:p@h/db?a=b,c=d', QUOTED: 'BAR BAZ', EMPTY: '' });
  });

  it('reads a """ value over several lines, keeping its newlines and blank lines', () => {
    const text = 'FOO=BAR\nMULTILINE="""SOMETHING\nANOTHER LINE\n\nENDSHERE"""\nTRAILERENV=what\nFIN="""Here is the end,\nmy only friend"""\n';
    expect(secretsOf(parseSecretsImport(text))).toEqual({ FOO: 'BAR', MULTILINE: 'SOMETHING\nANOTHER LINE\n\nENDSHERE', TRAILERENV: 'what', FIN: 'Here is the end,\nmy only friend' });
  });

  it('reads a PEM key in """, and """x""" on one line as x', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----';
    expect(secretsOf(parseSecretsImport(`KEY="""${pem}"""\nONE="""single"""\n`))).toEqual({ KEY: pem, ONE: 'single' });
  });

  it('takes the last value of a name given twice, as flyctl does, with a warning naming both lines', () => {
    const parsed = parseSecretsImport('A=first-value\nB=x\nA=second-value\n');
    expect(secretsOf(parsed)).toEqual({ A: 'second-value', B: 'x' });
    expect(parsed.ok && parsed.warnings.map(formatImportIssue)).toEqual(['stdin line 3: A is given again (first on line 1); the value of line 3 is used']);
  });

  it('names every bad line by its number and never shows its text', () => {
    const text = ['GOOD=fine', 'hunter2-no-equals', 'c2VjcmV0LXZhbHVl==', '=orphan-value', 'FLY_REGION=x', 'lower=case-secret'].join('\n');
    const errors = errorsOf(parseSecretsImport(text));
    expect(errors).toEqual([
      'stdin line 2: expected NAME=VALUE, but the line has no "="',
      'stdin line 3: the text before "=" is not a secret name: names are upper-case letters, digits and _, not starting with a digit',
      'stdin line 4: expected NAME=VALUE, but there is no name before "="',
      'stdin line 5: secret name FLY_REGION is reserved: names starting with FLY_ or HANGAR_ are refused',
      'stdin line 6: the text before "=" is not a secret name: names are upper-case letters, digits and _, not starting with a digit',
    ]);
    for (const leak of ['hunter2', 'c2VjcmV0', 'orphan-value', 'case-secret', 'lower']) expect(errors.join('\n')).not.toContain(leak);
  });

  it('refuses a """ value that is never closed, naming the line it opens on', () => {
    expect(errorsOf(parseSecretsImport('A=1\nKEY="""-----BEGIN\nsecret-body\n'))).toEqual(['stdin line 2: the value of KEY opens with """ but no later line ends with """']);
  });

  it('refuses a value too large or with a NUL, without the value', () => {
    const errors = errorsOf(parseSecretsImport(`BIG=${'x'.repeat(64 * 1024 + 1)}\nNUL=a\u0000b\n`));
    expect(errors).toEqual([
      'stdin line 1: the value of BIG is 65537 bytes; at most 65536 bytes (64 KiB) a value',
      'stdin line 2: the value of NUL contains a NUL character, which no environment variable can hold',
    ]);
  });

  it('refuses input with no secret at all', () => {
    expect(errorsOf(parseSecretsImport('# only a comment\n\n'))).toEqual(['no NAME=VALUE line on stdin: at least one secret is required']);
  });
});
