import { addressRefusal, classifyAddress, isListed, parseIpv6, sameOrigin, type AddressPolicy } from './address-policy';

describe('address policy', () => {
  const dev: AddressPolicy = { allowLoopback: true, allowPrivate: [] };
  const production: AddressPolicy = { allowLoopback: false, allowPrivate: [] };

  it.each([
    ['8.8.8.8', 'public'],
    ['140.82.112.3', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.100.100.200', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2606:4700::6810:84e5', 'public'],
    ['224.0.0.1', 'invalid'],
    ['not-an-address', 'invalid'],
  ])('classifies %s as %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it('parses IPv6 forms into 8 groups and refuses malformed ones', () => {
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIpv6('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('1::2::3')).toBeUndefined();
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseIpv6('12345::')).toBeUndefined();
  });

  it('refuses a host when any of its addresses is private, link-local or unspecified, naming it and the variable', () => {
    expect(addressRefusal('registry.example', ['140.82.112.3'], dev)).toBeUndefined();
    expect(addressRefusal('meta.example', ['140.82.112.3', '169.254.169.254'], dev)).toBe(
      'meta.example resolves to a link-local address (169.254.169.254); list it in HANGAR_REGISTRY_ALLOW_PRIVATE to allow it',
    );
    expect(addressRefusal('10.0.0.5:5000', ['10.0.0.5'], dev)).toContain('a private address (10.0.0.5)');
    expect(addressRefusal('zero', ['0.0.0.0'], dev)).toContain('an unspecified address');
    expect(addressRefusal('nowhere', [], dev)).toBe('nowhere resolves to no address');
  });

  it('allows loopback only when the policy does (outside production)', () => {
    expect(addressRefusal('127.0.0.1:5000', ['127.0.0.1'], dev)).toBeUndefined();
    expect(addressRefusal('localhost:5000', ['::1', '127.0.0.1'], dev)).toBeUndefined();
    expect(addressRefusal('127.0.0.1:5000', ['127.0.0.1'], production)).toContain('a loopback address (127.0.0.1)');
  });

  it('lets listed hosts through whatever they resolve to; an entry without a port matches every port', () => {
    const listed: AddressPolicy = { allowLoopback: false, allowPrivate: ['registry.internal', '10.0.0.5:5000'] };
    expect(addressRefusal('registry.internal:443', ['10.9.9.9'], listed)).toBeUndefined();
    expect(addressRefusal('10.0.0.5:5000', ['10.0.0.5'], listed)).toBeUndefined();
    expect(addressRefusal('10.0.0.5:5001', ['10.0.0.5'], listed)).toContain('private');
    expect(isListed('REGISTRY.internal', listed.allowPrivate)).toBe(true);
    expect(isListed('[::1]:5000', ['[::1]'])).toBe(true);
  });

  it('treats a redirect as same-origin only with the same scheme, host and port', () => {
    expect(sameOrigin('https://r.example/v2/a/manifests/v1', 'https://r.example/v2/b/manifests/v1')).toBe(true);
    expect(sameOrigin('https://r.example/v2/', 'https://r.example:8443/v2/')).toBe(false);
    expect(sameOrigin('https://r.example/v2/', 'http://r.example/v2/')).toBe(false);
    expect(sameOrigin('https://r.example/v2/', 'https://169.254.169.254/latest/meta-data')).toBe(false);
    expect(sameOrigin('https://r.example/v2/', 'not a url')).toBe(false);
  });
});
