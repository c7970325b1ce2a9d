import { epochSecondsAt, isZeroTime, rfc3339At } from './timestamps';
import { WebhookPayloadError } from './webhook-delivery';

describe('timestamps', () => {
  it('reads RFC 3339 with nanoseconds, seven digits and offsets as ISO UTC', () => {
    expect(rfc3339At('2016-03-09T14:44:26.402973972-08:00', 't')).toBe('2016-03-09T22:44:26.402Z');
    expect(rfc3339At('2017-11-17T16:52:01.3431453Z', 't')).toBe('2017-11-17T16:52:01.343Z');
    expect(rfc3339At('2019-11-16T01:54:34Z', 't')).toBe('2019-11-16T01:54:34.000Z');
  });

  it('rejects what is not RFC 3339, naming the field', () => {
    for (const bad of ['yesterday', '2019-11-16', '1717236000', '2019-13-45T99:99:99Z']) {
      expect(() => rfc3339At(bad, 'events[0].timestamp')).toThrow(WebhookPayloadError);
      expect(() => rfc3339At(bad, 'events[0].timestamp')).toThrow(/^events\[0\]\.timestamp /);
    }
  });

  it('reads epoch seconds given as integers or floats', () => {
    expect(epochSecondsAt(1417566161, 'p')).toBe('2014-12-03T00:22:41.000Z');
    expect(epochSecondsAt(1.417566161e9, 'p')).toBe('2014-12-03T00:22:41.000Z');
    expect(epochSecondsAt(1417566161.25, 'p')).toBe('2014-12-03T00:22:41.250Z');
    expect(() => epochSecondsAt(-1, 'push_data.pushed_at')).toThrow(/^push_data\.pushed_at /);
    expect(() => epochSecondsAt(1e300, 'p')).toThrow(WebhookPayloadError);
  });

  it("spots GitHub's zero time", () => {
    expect(isZeroTime('0001-01-01T00:00:00Z')).toBe(true);
    expect(isZeroTime('2024-01-01T00:00:00Z')).toBe(false);
  });
});
