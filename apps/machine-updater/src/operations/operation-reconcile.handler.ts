import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EventTypes, HangarError, commandPattern, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { parseOperationRequest } from './domain/operation-request';
import { ReconcileOperationDto } from './dto/reconcile-operation.dto';
import { OperationRunner, type ReconcileStatus } from './operation.runner';

export const OperationErrorCodes = { NOT_FOUND: 'OPERATION.NOT_FOUND' } as const;

/**
 * `reconcile-operation {releaseId, key}`: the releaser's recovery path for an operation whose outcome
 * it has not seen (a lost message, a machine-updater that died mid-operation). The request itself is
 * read from the release stream, never taken from the command, so the command can only make
 * machine-updater finish what the releaser recorded.
 */
@Controller()
export class OperationReconcileHandler {
  constructor(
    private readonly runner: OperationRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(commandPattern('machine-updater', 'reconcile-operation'))
  async reconcile(@Payload() dto: ReconcileOperationDto): Promise<ReconcileStatus> {
    const events = await this.store.readStream(streams.release(dto.releaseId));
    const requested = events.find((e) => e.type === EventTypes.MachineUpdateRequested && e.data.key === dto.key);
    if (!requested) throw notFound(dto);
    const parsed = parseOperationRequest(requested.data);
    if (!parsed.ok) throw new HangarError(OperationErrorCodes.NOT_FOUND, `operation ${dto.key} is malformed: ${parsed.reason}`, { ...dto });
    return this.runner.reconcile({ request: parsed.request, requestEventId: requested.eventId, requestedAt: requested.recordedAt });
  }
}

function notFound(dto: ReconcileOperationDto): HangarError {
  return new HangarError(OperationErrorCodes.NOT_FOUND, `release ${dto.releaseId} requested no operation ${dto.key}`, { ...dto });
}
