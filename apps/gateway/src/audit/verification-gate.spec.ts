import { HangarError } from '@hangar/contracts';
import type { CheckpointExport, VerificationReport } from '@hangar/event-store';
import { VERIFICATION_RUNNING, VerificationGate } from './verification-gate';

const report = (events: number): VerificationReport => ({ ok: true, streams: 1, events, legacyEvents: 0, checkpoint: null, problems: [] });
const exported = (sequence: number) => ({ format: 'hangar-audit-checkpoint/1', sequence, digest: 'd', heads: [] }) as unknown as CheckpointExport;

/** A verification that finishes when the test says so, counting how many were started. */
function controlledVerify() {
  const started: { against: CheckpointExport | undefined; finish: (r: VerificationReport) => void; fail: (e: Error) => void }[] = [];
  const verify = (against: CheckpointExport | undefined) =>
    new Promise<VerificationReport>((finish, fail) => {
      started.push({ against, finish, fail });
    });
  return { verify, started };
}

function refusal(run: () => unknown): HangarError {
  try {
    run();
  } catch (error) {
    if (error instanceof HangarError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(VerificationGate.name, () => {
  it('runs one verification for concurrent callers asking the same, and all of them get its report', async () => {
    const { verify, started } = controlledVerify();
    const sut = new VerificationGate(verify);
    const reports = [sut.run(), sut.run(), sut.run()];
    expect(started).toHaveLength(1);
    started[0]!.finish(report(7));
    expect(await Promise.all(reports)).toEqual([report(7), report(7), report(7)]);
  });

  it('refuses a different verification while one runs, with a code and a retry hint', async () => {
    const { verify, started } = controlledVerify();
    const sut = new VerificationGate(verify, 3);
    const running = sut.run();
    const error = refusal(() => sut.run(exported(1)));
    expect(error.code).toBe(VERIFICATION_RUNNING);
    expect(error.details).toEqual({ retryAfterSeconds: 3 });
    expect(started).toHaveLength(1);
    started[0]!.finish(report(1));
    await running;
  });

  it('shares a verification against the same exported checkpoint, refuses one against another', async () => {
    const { verify, started } = controlledVerify();
    const sut = new VerificationGate(verify);
    const first = sut.run(exported(4));
    const same = sut.run(exported(4));
    expect(refusal(() => sut.run(exported(5))).code).toBe(VERIFICATION_RUNNING);
    expect(refusal(() => sut.run()).code).toBe(VERIFICATION_RUNNING);
    expect(started.map((s) => s.against?.sequence)).toEqual([4]);
    started[0]!.finish(report(2));
    expect(await same).toBe(await first);
  });

  it('starts a new verification once the last one finished or failed, caching nothing', async () => {
    const { verify, started } = controlledVerify();
    const sut = new VerificationGate(verify);
    const failed = sut.run();
    started[0]!.fail(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    const second = sut.run(exported(1));
    started[1]!.finish(report(3));
    await second;
    const third = sut.run();
    expect(started).toHaveLength(3);
    started[2]!.finish(report(4));
    expect(await third).toEqual(report(4));
  });
});
