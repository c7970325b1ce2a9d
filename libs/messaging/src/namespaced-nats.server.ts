import { ErrorCodes, HangarError, jsonBodyProblem } from '@hangar/contracts';
import { ServerNats, type NatsOptions } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { decodeJson, PlainJsonRequestDeserializer } from './plain-json.deserializer';
import { encodeJson, PlainJsonSerializer } from './plain-json.serializer';
import type { NatsEndpoint } from '@hangar/contracts';
import { natsConnectionOptions } from './nats-identity';

export type NamespacedNatsServerOptions = Omit<NonNullable<NatsOptions['options']>, 'queue' | 'serializer' | 'deserializer'> & {
  /** `HANGAR_NAMESPACE`: prefixed to every pattern. */
  ns: string;
  /** The queue group of every subscription: replicas of one service share the requests. */
  service: string;
};

/**
 * The NATS transport for Hangar commands (DESIGN §4 "Commands"). Handlers register
 * `@MessagePattern(commandPattern(service, command))` without the namespace; this server subscribes
 * to `<ns>.<pattern>` in queue group `<service>`, accepts plain JSON bodies and replies plain JSON.
 */
export class NamespacedNatsServer extends ServerNats {
  private readonly ns: string;
  private readonly service: string;

  constructor(options: NamespacedNatsServerOptions) {
    const { ns, service, ...nats } = options;
    super({
      maxReconnectAttempts: -1,
      ...nats,
      queue: service,
      serializer: new PlainJsonSerializer(),
      deserializer: new PlainJsonRequestDeserializer(),
    });
    this.ns = ns;
    this.service = service;
  }

  /** The subject a pattern is served on. */
  subjectOf(pattern: string): string {
    return `${this.ns}.${pattern}`;
  }

  override bindEvents(client: NatsConnection): void {
    // ServerNats keeps these private; close() unsubscribes them on a graceful shutdown.
    const subscriptions = (this as unknown as { subscriptions: Subscription[] }).subscriptions;
    for (const [pattern, handler] of this.messageHandlers) {
      const queue: string = handler.extras?.queue ?? this.service;
      const callback = this.getMessageHandler(pattern).bind(this) as (err: Error | null, msg: Msg) => void;
      subscriptions.push(client.subscribe(this.subjectOf(pattern), { queue, callback }));
    }
  }

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    let problem: string | undefined;
    try {
      problem = jsonBodyProblem(decodeJson(natsMsg.data));
    } catch {
      problem = 'request body is not valid JSON';
    }
    if (problem !== undefined) {
      if (natsMsg.reply) natsMsg.respond(encodeJson(new HangarError(ErrorCodes.VALIDATION, problem).toBody()));
      return;
    }
    return super.handleMessage(channel, natsMsg);
  }

  override getPublisher(natsMsg: Msg, id: string, ctx: Parameters<ServerNats['getPublisher']>[2]): (response: unknown) => unknown {
    const publish = super.getPublisher(natsMsg, id, ctx);
    let replied = false;
    // Request-reply has one answer: skip Nest's trailing "disposed" packet and any further stream items.
    return (packet) => {
      const p = packet as { response?: unknown; err?: unknown };
      if (replied || (!('response' in p) && !('err' in p))) return;
      replied = true;
      return publish(packet);
    };
  }
}

/** Options for `app.connectMicroservice()` / `NestFactory.createMicroservice()`. */
export function createMicroserviceOptions(options: { nats: NatsEndpoint; ns: string; service: string }): { strategy: NamespacedNatsServer } {
  return { strategy: new NamespacedNatsServer({ ...natsConnectionOptions(options.nats, options.service), ns: options.ns, service: options.service }) };
}
