import { addressAt, formatIpv6, normaliseAddress, offsetOf, parseCidr, parseIpv4, parseIpv6, usableOffsets } from './ip-address';

describe('ip-address', () => {
  it('parses and formats IPv4', () => {
    expect(parseIpv4('192.0.2.1')).toBe(0xc0000201n);
    for (const bad of ['192.0.2', '192.0.2.256', '192.0.2.01', '1.2.3.4.5', 'a.b.c.d', '']) expect(parseIpv4(bad)).toBeUndefined();
  });

  it('parses IPv6 in every shorthand and prints RFC 5952 text', () => {
    expect(parseIpv6('2001:db8::1')).toBe((0x20010db8n << 96n) | 1n);
    expect(parseIpv6('2001:DB8:0:0:0:0:0:1')).toBe(parseIpv6('2001:db8::1'));
    expect(parseIpv6('::')).toBe(0n);
    for (const bad of ['2001:db8:::1', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7']) expect(parseIpv6(bad)).toBeUndefined();
    expect(formatIpv6(parseIpv6('2001:0db8:0000:0000:0001:0000:0000:0001')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(parseIpv6('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(0n)).toBe('::');
  });

  it('normalises an address of either family', () => {
    expect(normaliseAddress('2001:DB8:0::2')).toEqual({ family: 'v6', address: '2001:db8::2' });
    expect(normaliseAddress('192.0.2.7')).toEqual({ family: 'v4', address: '192.0.2.7' });
    expect(normaliseAddress('nope')).toBeUndefined();
  });

  it('parses CIDR blocks and rejects host bits, wrong families and long prefixes', () => {
    const v4 = parseCidr('192.0.2.0/24', 'v4');
    expect(v4).toMatchObject({ ok: true, range: { cidr: '192.0.2.0/24', size: 256n } });
    expect(parseCidr('2001:0db8::/64', 'v6')).toMatchObject({ ok: true, range: { cidr: '2001:db8::/64', size: 1n << 64n } });
    expect(parseCidr('192.0.2.5/24', 'v4')).toEqual({ ok: false, reason: 'host bits are set in "192.0.2.5/24"; the network is 192.0.2.0/24' });
    expect(parseCidr('2001:db8::/64', 'v4')).toMatchObject({ ok: false, reason: expect.stringContaining('IPv4 CIDR block') });
    expect(parseCidr('192.0.2.0/33', 'v4')).toMatchObject({ ok: false, reason: expect.stringContaining('at most 32') });
    expect(parseCidr('192.0.2.0', 'v4')).toMatchObject({ ok: false });
  });

  it('leaves out network and broadcast (v4) and the anycast address (v6)', () => {
    const range = (text: string, family: 'v4' | 'v6') => {
      const r = parseCidr(text, family);
      if (!r.ok) throw new Error(r.reason);
      return r.range;
    };
    expect(usableOffsets(range('192.0.2.0/24', 'v4'))).toEqual({ first: 1n, last: 254n });
    expect(usableOffsets(range('192.0.2.0/31', 'v4'))).toEqual({ first: 0n, last: 1n });
    expect(usableOffsets(range('2001:db8::/126', 'v6'))).toEqual({ first: 1n, last: 3n });
    const v4 = range('192.0.2.0/24', 'v4');
    expect(addressAt(v4, 7n)).toBe('192.0.2.7');
    expect(offsetOf(v4, '192.0.2.7')).toBe(7n);
    expect(offsetOf(v4, '198.51.100.7')).toBeUndefined();
  });
});
