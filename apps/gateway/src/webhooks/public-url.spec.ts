import { PublicUrl } from './public-url';

describe(PublicUrl.name, () => {
  it('builds receiver URLs on HANGAR_PUBLIC_URL when set', () => {
    const sut = new PublicUrl('https://hangar.example.com/ci');
    sut.listeningAt('http://127.0.0.1:4280');
    expect(sut.receiverUrl('01JTQ3')).toBe('https://hangar.example.com/ci/v1/webhooks/registry/01JTQ3');
  });

  it('falls back to the address the gateway listens on, once it listens', () => {
    const sut = new PublicUrl();
    expect(() => sut.receiverUrl('r1')).toThrow('does not listen yet');
    sut.listeningAt('http://127.0.0.1:39123/');
    expect(sut.receiverUrl('r1')).toBe('http://127.0.0.1:39123/v1/webhooks/registry/r1');
  });
});
