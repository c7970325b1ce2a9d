import { PeriodicRounds } from './periodic-rounds';

describe(PeriodicRounds.name, () => {
  const flush = () => new Promise((r) => setImmediate(r));

  it('runs at start, then an interval after each round ends; a failing round is logged and the next still runs', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const warnings: string[] = [];
      let runs = 0;
      const sut = new PeriodicRounds('test', () => 1000, async () => {
        runs += 1;
        if (runs === 2) throw new Error('boom');
      }, { warn: (m: string) => void warnings.push(m) });
      sut.start();
      await jest.advanceTimersByTimeAsync(0);
      expect(runs).toBe(1);
      await jest.advanceTimersByTimeAsync(999);
      expect(runs).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(runs).toBe(2);
      await flush();
      expect(warnings).toEqual(['test round failed: boom']);
      await jest.advanceTimersByTimeAsync(1000);
      expect(runs).toBe(3);
      await sut.stop();
      await jest.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(3);
      expect(sut.stopped).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stop waits for the round in progress', async () => {
    let release!: () => void;
    let finished = false;
    const sut = new PeriodicRounds('test', () => 60_000, () => new Promise<void>((r) => (release = () => { finished = true; r(); })), { warn: () => undefined });
    sut.start();
    await new Promise((r) => setTimeout(r, 5));
    const stopping = sut.stop();
    setTimeout(() => release(), 20);
    await stopping;
    expect(finished).toBe(true);
  });
});
