import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { commandPattern, HangarError, RECEIVER_FORBIDDEN, receiverPushProblem, RegistryEventTypes, streams, type ImagePushedData, type PushEvaluatedData, type PushLogEntry, type RecordedPush } from '@hangar/contracts';
import { EVENT_STORE, PG_POOL, sqlFilesIn, type EventStore } from '@hangar/event-store';
import { ListPushesDto, RecordDeliveryDto, RecordPushDto } from './dto/registry.dto';
import { imageText, parseTriggerImage } from './domain/image-name';
import { foldReceivers, recorded } from './domain/triggers';
import { PushRecorder } from './push-recorder.service';

const loadSql = sqlFilesIn(__dirname);
const SQL = { recentPushes: loadSql('recent-pushes'), evaluations: loadSql('push-evaluations') };
const DEFAULT_LIMIT = 50;

/**
 * Pushes in (issue 6): `record-push` from any NATS publisher (scope `registry:push`, or a
 * `registry:push:<target>` covering the push), and `record-delivery` from the gateway after it
 * authenticated and parsed a registry's webhook.
 */
@Controller()
export class PushesHandler {
  constructor(
    private readonly recorder: PushRecorder,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  @MessagePattern(commandPattern('builder', 'record-push'))
  async recordPush(@Payload() dto: RecordPushDto): Promise<{ push: RecordedPush }> {
    const { actor, ...push } = dto;
    return { push: await this.recorder.record(push, { actor: actor ?? 'anonymous' }) };
  }

  @MessagePattern(commandPattern('builder', 'record-delivery'))
  async recordDelivery(@Payload() dto: RecordDeliveryDto): Promise<{ pushes: RecordedPush[]; ignored: number }> {
    await this.refuseForeignPushes(dto);
    const actor = `receiver:${dto.receiverId}`;
    const pushes: RecordedPush[] = [];
    for (const push of dto.pushes) pushes.push(await this.recorder.record(push, { receiverId: dto.receiverId, actor }));
    await this.recorder.recordIgnored(dto.receiverId, dto.source, dto.ignored, actor);
    return { pushes, ignored: dto.ignored.length };
  }

  /**
   * The gateway refuses a delivery naming a push outside its receiver's host or prefix (review H4);
   * checked here again against the receiver as recorded, so no caller can record one. All or nothing.
   */
  private async refuseForeignPushes(dto: RecordDeliveryDto): Promise<void> {
    const receiver = foldReceivers((await this.store.readStream(streams.receivers())).map(recorded)).get(dto.receiverId);
    if (!receiver) return;
    for (const push of dto.pushes) {
      const problem = receiverPushProblem(receiver, push.host, push.repository);
      if (problem) throw new HangarError(RECEIVER_FORBIDDEN, problem, { receiverId: dto.receiverId, host: push.host });
    }
  }

  /** Every recorded push, newest first, with what came of it (`triggers log --all`). */
  @MessagePattern(commandPattern('builder', 'list-pushes'))
  async list(@Payload() dto: ListPushesDto): Promise<{ pushes: PushLogEntry[] }> {
    const limit = dto.limit ?? DEFAULT_LIMIT;
    const rows = dto.image ? await this.ofImage(dto.image, limit) : (await this.pool.query<PushRow>(SQL.recentPushes, [limit])).rows;
    const { rows: evaluations } = await this.pool.query<{ data: PushEvaluatedData }>(SQL.evaluations, [rows.map((r) => r.event_id)]);
    const byPush = new Map(evaluations.map((e) => [e.data.pushEventId, e.data]));
    return { pushes: rows.map((r) => entry(r, byPush.get(r.event_id))) };
  }

  private async ofImage(image: string, limit: number): Promise<PushRow[]> {
    const stream = await this.store.readStream(streams.registry(imageText(parseTriggerImage(image))));
    return stream
      .filter((e) => e.type === RegistryEventTypes.ImagePushed)
      .reverse()
      .slice(0, limit)
      .map((e) => ({ event_id: e.eventId, data: e.data as unknown as ImagePushedData, recorded_at: e.recordedAt }));
  }
}

interface PushRow {
  event_id: string;
  data: ImagePushedData;
  recorded_at: Date;
}

function entry(row: PushRow, evaluation: PushEvaluatedData | undefined): PushLogEntry {
  const d = row.data;
  return {
    at: row.recorded_at.toISOString(),
    pushEventId: row.event_id,
    host: d.host,
    repository: d.repository,
    tag: d.tag,
    ...(d.digest ? { digest: d.digest } : {}),
    pushedAt: d.pushedAt,
    source: d.source,
    ...(d.receiverId ? { receiverId: d.receiverId } : {}),
    ...(evaluation ? { evaluation: { outcomes: evaluation.outcomes, ...(evaluation.reason ? { reason: evaluation.reason } : {}) } } : {}),
  };
}
