import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ulid } from 'ulid';
import {
  commandPattern,
  ErrorCodes,
  HangarError,
  RegistryEventTypes,
  streams,
  type TriggerAddedData,
  type TriggerFiredData,
  type TriggerLogEntry,
  type TriggerSkippedData,
  type TriggerView,
} from '@hangar/contracts';
import { EVENT_STORE, retryOnConflict, type EventStore } from '@hangar/event-store';
import { AddTriggerDto, ListTriggersDto, RemoveTriggerDto, TriggerLogDto } from './dto/registry.dto';
import { imageText, parseTriggerImage } from './domain/image-name';
import { parseTagPolicy } from './domain/tag-policy';
import { foldTriggers, recorded, type TriggerDefinition } from './domain/triggers';
import { RegistryErrorCodes } from './registry-errors';

const DEFAULT_LOG_LIMIT = 50;

/**
 * Image triggers (issue 6): which pushes deploy which app. Definitions live in `triggers` (builder);
 * what came of each push a trigger followed lives in `trigger-<id>` (releaser), which `list-trigger-log` reads.
 */
@Controller()
export class TriggersHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(commandPattern('builder', 'add-trigger'))
  async add(@Payload() dto: AddTriggerDto): Promise<{ trigger: TriggerView }> {
    const name = parseTriggerImage(dto.image);
    const policy = parseTagPolicy(dto.tagPolicy);
    if ((await this.store.streamVersion(streams.app(dto.app))) === 0) {
      throw new HangarError(ErrorCodes.APP_NOT_FOUND, `app '${dto.app}' not found`, { app: dto.app });
    }
    const data: TriggerAddedData = { triggerId: ulid(), app: dto.app, image: imageText(name), host: name.host, repository: name.repository, tagPolicy: policy.text };
    const actor = dto.actor ?? 'anonymous';
    await this.store.append(streams.triggers(), [{ type: RegistryEventTypes.TriggerAdded, data: { ...data }, metadata: { actor } }], { expectedVersion: 'ANY' });
    return { trigger: { id: data.triggerId, app: data.app, image: data.image, tagPolicy: data.tagPolicy, createdAt: new Date().toISOString(), createdBy: actor } };
  }

  @MessagePattern(commandPattern('builder', 'list-triggers'))
  async list(@Payload() dto: ListTriggersDto): Promise<{ triggers: TriggerView[] }> {
    const triggers = [...(await this.live()).values()].filter((t) => t.app === dto.app);
    return { triggers: triggers.map(view) };
  }

  @MessagePattern(commandPattern('builder', 'remove-trigger'))
  async remove(@Payload() dto: RemoveTriggerDto): Promise<{ trigger: { id: string } }> {
    await retryOnConflict(async () => {
      const events = await this.store.readStream(streams.triggers());
      const trigger = foldTriggers(events.map(recorded)).get(dto.triggerId);
      if (!trigger || trigger.app !== dto.app) {
        throw new HangarError(RegistryErrorCodes.TRIGGER_NOT_FOUND, `trigger ${dto.triggerId} of app '${dto.app}' not found`, { app: dto.app, triggerId: dto.triggerId });
      }
      const data = { triggerId: dto.triggerId, app: dto.app };
      await this.store.append(streams.triggers(), [{ type: RegistryEventTypes.TriggerRemoved, data, metadata: { actor: dto.actor ?? 'anonymous' } }], { expectedVersion: events.length });
    });
    return { trigger: { id: dto.triggerId } };
  }

  /** Every push the app's triggers (also removed ones) followed, newest first: deployed, or why not. */
  @MessagePattern(commandPattern('builder', 'list-trigger-log'))
  async log(@Payload() dto: TriggerLogDto): Promise<{ entries: TriggerLogEntry[] }> {
    const added = (await this.store.readStream(streams.triggers())).filter((e) => e.type === RegistryEventTypes.TriggerAdded && (e.data as unknown as TriggerAddedData).app === dto.app);
    const entries: TriggerLogEntry[] = [];
    for (const e of added) {
      const trigger = e.data as unknown as TriggerAddedData;
      for (const outcome of await this.store.readStream(streams.trigger(trigger.triggerId))) {
        entries.push(logEntry(trigger, outcome.type, outcome.data as unknown as TriggerFiredData | TriggerSkippedData, outcome.recordedAt));
      }
    }
    entries.sort((a, b) => b.at.localeCompare(a.at));
    return { entries: entries.slice(0, dto.limit ?? DEFAULT_LOG_LIMIT) };
  }

  private async live(): Promise<Map<string, TriggerDefinition>> {
    return foldTriggers((await this.store.readStream(streams.triggers())).map(recorded));
  }
}

function view(t: TriggerDefinition): TriggerView {
  return { id: t.triggerId, app: t.app, image: t.image, tagPolicy: t.policy.text, createdAt: t.createdAt.toISOString(), createdBy: t.createdBy };
}

function logEntry(trigger: TriggerAddedData, type: string, d: TriggerFiredData | TriggerSkippedData, at: Date): TriggerLogEntry {
  const base = { at: at.toISOString(), triggerId: trigger.triggerId, app: trigger.app, image: `${d.host}/${d.repository}`, tag: d.tag, pushedAt: d.pushedAt, ...(d.digest ? { digest: d.digest } : {}) };
  if (type === RegistryEventTypes.TriggerFired) {
    const fired = d as TriggerFiredData;
    return { ...base, result: 'deployed', releaseId: fired.releaseId, version: fired.version, ...(fired.superseded ? { reason: `superseded the queued v${fired.superseded.version}` } : {}) };
  }
  return { ...base, result: 'skipped', reason: (d as TriggerSkippedData).reason };
}
