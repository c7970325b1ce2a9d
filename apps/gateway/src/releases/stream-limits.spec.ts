import { StreamLimits, TOO_MANY_STREAMS } from './stream-limits';

describe(StreamLimits.name, () => {
  it('bounds the streams of one caller and of everyone, and frees a slot once (review M6)', () => {
    const sut = new StreamLimits({ total: 3, perCaller: 2 });
    const a1 = sut.enter('alice');
    sut.enter('alice');
    expect(() => sut.enter('alice')).toThrow(expect.objectContaining({ code: TOO_MANY_STREAMS }));
    sut.enter('bob');
    expect(() => sut.enter('carol')).toThrow(expect.objectContaining({ code: TOO_MANY_STREAMS, message: expect.stringContaining('already serves 3') }));
    a1();
    a1();
    const a3 = sut.enter('alice');
    expect(() => sut.enter('carol')).toThrow(expect.objectContaining({ code: TOO_MANY_STREAMS }));
    a3();
    expect(typeof sut.enter('carol')).toBe('function');
  });
});
