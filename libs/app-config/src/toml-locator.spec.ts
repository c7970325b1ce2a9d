import { createTomlLocator } from './toml-locator';

const text = [
  'app = "dry-pond-1475" # [fake] header in a comment', // 1
  'build.image = "nginx"', //                              2
  '', //                                                   3
  '[deploy]', //                                           4
  '  strategy = "rolling"', //                             5
  '  release_command = """', //                            6
  '[not-a-header]', //                                     7
  '"""', //                                                8
  '  wait_timeout = "5m"', //                              9
  '[[services]]', //                                       10
  '  internal_port = 8080', //                             11
  '  [[services.ports]]', //                               12
  '    port = 80', //                                      13
  '  [[services.ports]]', //                               14
  '    port = 443', //                                     15
  '  [services.concurrency]', //                           16
  '    soft_limit = 20', //                                17
  '[[services]]', //                                       18
  '  ports = [{ port = 5432, handlers = ["pg"] }, { port = 6432 }]', // 19
  '  concurrency = { type = "requests", hard_limit = 30 }', //         20
  '  tcp_checks = [', //                                   21
  '    { interval = "10s" },', //                          22
  '    { interval = "20s" },', //                          23
  '  ]', //                                                24
  '[env]', //                                              25
  '  "DOTTED.NAME" = "x"', //                              26
  "  'literal' = 'y'", //                                  27
].join('\n');

describe(createTomlLocator.name, () => {
  const sut = createTomlLocator(text);

  it('finds top-level and dotted keys', () => {
    expect(sut.lineOf(['app'])).toBe(1);
    expect(sut.lineOf(['build', 'image'])).toBe(2);
  });

  it('finds table headers and their keys, skipping multi-line strings', () => {
    expect(sut.lineOf(['deploy'])).toBe(4);
    expect(sut.lineOf(['deploy', 'strategy'])).toBe(5);
    expect(sut.lineOf(['deploy', 'release_command'])).toBe(6);
    expect(sut.lineOf(['not-a-header'])).toBeUndefined();
    expect(sut.lineOf(['deploy', 'wait_timeout'])).toBe(9);
  });

  it('counts arrays of tables, including nested ones and sub-tables of the current element', () => {
    expect(sut.lineOf(['services', 0])).toBe(10);
    expect(sut.lineOf(['services', 0, 'internal_port'])).toBe(11);
    expect(sut.lineOf(['services', 0, 'ports', 0, 'port'])).toBe(13);
    expect(sut.lineOf(['services', 0, 'ports', 1, 'port'])).toBe(15);
    expect(sut.lineOf(['services', 0, 'concurrency', 'soft_limit'])).toBe(17);
    expect(sut.lineOf(['services', 1])).toBe(18);
  });

  it('finds keys inside inline tables and arrays, on one line or several', () => {
    expect(sut.lineOf(['services', 1, 'ports', 1, 'port'])).toBe(19);
    expect(sut.lineOf(['services', 1, 'concurrency', 'hard_limit'])).toBe(20);
    expect(sut.lineOf(['services', 1, 'tcp_checks', 0, 'interval'])).toBe(22);
    expect(sut.lineOf(['services', 1, 'tcp_checks', 1, 'interval'])).toBe(23);
  });

  it('finds quoted keys', () => {
    expect(sut.lineOf(['env', 'DOTTED.NAME'])).toBe(26);
    expect(sut.lineOf(['env', 'literal'])).toBe(27);
  });

  it('falls back to the nearest written ancestor, and to nothing at the root', () => {
    expect(sut.lineOf(['services', 1, 'internal_port'])).toBe(18);
    expect(sut.lineOf(['deploy', 'max_unavailable'])).toBe(4);
    expect(sut.lineOf(['mounts', 'destination'])).toBeUndefined();
  });
});
