import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { HangarError, receiverHost, receiverPushProblem, type ReceiverBinding, type IgnoredDeliveryItem, type NormalizedPush, type RecordedPush, type RegistrySource } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import { answerOutcome, refusalOutcome, WebhookMetrics } from '../metrics/webhook-metrics';
import { decideDelivery } from './domain/delivery-decision';
import { dialectFor } from './domain/dialects';
import { checkDeclaredLength } from './raw-body';
import { receiverNotFound, WebhookErrorCodes } from './webhook-errors';
import { ReceiverDirectory, type ReceiverCredentials } from './receiver-credentials';
import { DeliveryThrottle } from './delivery-throttle';

/** Receiver ids as builder mints them (ULIDs); anything else is answered 404 without asking builder. */
export const RECEIVER_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** One request to `POST /v1/webhooks/registry/:receiver`, its body not read yet. */
export interface IncomingDelivery {
  readonly headers: IncomingHttpHeaders;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Reads the raw body with the 1 MiB cap (`raw-body.ts`). */
  readBody(): Promise<Buffer>;
  readonly receivedAt: Date;
  /** The client's address (the socket's peer), for the failure rate limit. */
  readonly clientAddress: string;
}

/** The 2xx answer: what builder made of each push, and how many items were recorded as ignored. */
export interface DeliveryAnswer {
  pushes: RecordedPush[];
  ignored: number;
}

/**
 * Webhook ingress: failure rate limit, size cap, receiver, authentication on the raw bytes, parsing,
 * the receiver's registry host and repository prefix, then one `record-delivery` to builder. Every
 * refusal (429, 413, 404, 401, 400, 403) happens before that command, so a refused delivery changes
 * nothing; each 404 and 401 counts against the client's address and the receiver id
 * (`DeliveryThrottle`). The receiver's secret stays in these two methods' scope: it is in
 * no error, log, metric or answer.
 */
@Injectable()
export class WebhookIngress {
  constructor(
    private readonly commands: CommandClient,
    private readonly receivers: ReceiverDirectory,
    private readonly metrics: WebhookMetrics,
    private readonly throttle: DeliveryThrottle,
  ) {}

  /** Answers one delivery and counts its outcome (`hangar_webhook_deliveries_total`). */
  async receive(receiverId: string, request: IncomingDelivery): Promise<DeliveryAnswer> {
    let source: RegistrySource | undefined;
    const counted = RECEIVER_ID_PATTERN.test(receiverId) ? receiverId : undefined;
    try {
      this.throttle.check(counted, request.clientAddress);
      checkDeclaredLength(request.headers);
      if (counted === undefined) throw receiverNotFound(receiverId);
      const receiver = await this.receivers.credentials(receiverId);
      source = receiver.source;
      const answer = await this.deliver(receiver, request);
      this.metrics.delivery(source, answerOutcome(answer));
      return answer;
    } catch (error) {
      const outcome = refusalOutcome(error);
      if (outcome) this.metrics.delivery(source, outcome);
      if (outcome === 'not_found' || outcome === 'unauthorized') this.throttle.failed(counted, request.clientAddress);
      throw error;
    }
  }

  private async deliver(receiver: ReceiverCredentials, request: IncomingDelivery): Promise<DeliveryAnswer> {
    const body = await request.readBody();
    const delivery = { headers: flattenHeaders(request.headers), query: request.query, body, receivedAt: request.receivedAt };
    const decision = decideDelivery(dialectFor(receiver.source), receiver.secret, delivery);
    switch (decision.kind) {
      case 'unauthorized':
        throw new HangarError(WebhookErrorCodes.UNAUTHORIZED, decision.reason);
      case 'invalid':
        throw new HangarError(WebhookErrorCodes.INVALID_PAYLOAD, decision.message, { path: decision.path });
      case 'record':
        refuseForeignPushes(receiver, decision.pushes);
        if (decision.pushes.length === 0 && decision.ignored.length === 0) return { pushes: [], ignored: 0 };
        return this.commands.request<DeliveryAnswer>(
          'builder',
          'record-delivery',
          { receiverId: receiver.id, source: receiver.source, pushes: decision.pushes.map(boundedId), ignored: decision.ignored.map(boundedId) },
          { timeoutMs: 30_000 },
        );
      default: {
        const never: never = decision;
        return never;
      }
    }
  }
}

/**
 * A receiver's secret vouches for its own registry only (review H4): a delivery naming a push to
 * another host, or outside the receiver's prefix, is refused whole, naming the host. A receiver whose
 * host is unknown (a self-hosted source's, added before hosts were recorded) refuses every delivery.
 */
function refuseForeignPushes(receiver: ReceiverCredentials, pushes: readonly NormalizedPush[]): void {
  const { id: receiverId, source, host, repositoryPrefix } = receiver;
  const binding: ReceiverBinding = { receiverId, source, ...(host !== undefined ? { host } : {}), ...(repositoryPrefix !== undefined ? { repositoryPrefix } : {}) };
  const problems = receiverHost(binding) === undefined ? [receiverPushProblem(binding, '', '')] : pushes.map((p) => receiverPushProblem(binding, p.host, p.repository));
  const problem = problems.find((p) => p !== undefined);
  if (problem) throw new HangarError(WebhookErrorCodes.FORBIDDEN, problem, { receiverId });
}

/** Builder keeps delivery ids up to this long; a longer one is recorded as its hash (still a stable dedupe key). */
const MAX_DELIVERY_ID_LENGTH = 200;

function boundedId<T extends NormalizedPush | IgnoredDeliveryItem>(item: T): T {
  const id = item.deliveryId;
  if (id === undefined || id.length <= MAX_DELIVERY_ID_LENGTH) return item;
  return { ...item, deliveryId: `sha256-${createHash('sha256').update(id).digest('hex')}` };
}

/** Node's headers as the dialects read them: lower-case names, a repeated header joined with `, `. */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** The first value of each query parameter of a request URL (`/path?token=…`). */
export function firstQueryValues(url: string): Record<string, string> {
  const query: Record<string, string> = {};
  const at = url.indexOf('?');
  if (at < 0) return query;
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) if (!(name in query)) query[name] = value;
  return query;
}
