import { REDACTED, redactForViewer } from './viewer-redaction';

describe(redactForViewer.name, () => {
  it('keeps env names and replaces every value, wherever an env map is', () => {
    const machine = {
      id: 'm1',
      config: { image: 'web:1', env: { PIN: '1234', EMPTY: '' }, processes: [{ cmd: ['x'], env: { TOKEN: 't' } }], metadata: { env: 'production' } },
    };
    expect(redactForViewer([machine])).toEqual([
      { id: 'm1', config: { image: 'web:1', env: { PIN: REDACTED, EMPTY: REDACTED }, processes: [{ cmd: ['x'], env: { TOKEN: REDACTED } }], metadata: { env: 'production' } } },
    ]);
  });

  it('hides file contents and lease nonces, and leaves everything else as it was', () => {
    expect(redactForViewer({ files: [{ guest_path: '/etc/key', raw_value: 'c2VjcmV0' }], status: 'success', data: { nonce: 'n-123', expires_at: 5 }, n: null, ok: true })).toEqual({
      files: [{ guest_path: '/etc/key', raw_value: REDACTED }],
      status: 'success',
      data: { nonce: REDACTED, expires_at: 5 },
      n: null,
      ok: true,
    });
    expect(redactForViewer('text')).toBe('text');
  });
});
