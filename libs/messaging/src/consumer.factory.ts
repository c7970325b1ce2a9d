import { Inject, Injectable } from '@nestjs/common';
import { eventsSubjectWildcard, eventTypeSubject } from '@hangar/contracts';
import type { DurableConsumer } from './durable-consumer';
import { MessagingService, type StartConsumerOptions } from './messaging.service';
import { MESSAGING_OPTIONS, type MessagingOptions } from './messaging.tokens';

export type ConsumerStartOptions = Omit<StartConsumerOptions, 'filterSubject'> & {
  /** Consume only this event type (every app): `eventTypeSubject(ns, eventType)`. */
  eventType?: string;
  /** An explicit single subject filter; wins over `eventType`. Default: the whole feed. */
  filterSubject?: string;
};

/**
 * What a service's consumer adapter injects to start its durable consumer: the namespace, service
 * name, store and connection are filled in; the consumer is stopped on application shutdown.
 */
@Injectable()
export class ConsumerFactory {
  constructor(
    private readonly messaging: MessagingService,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  start(options: ConsumerStartOptions): Promise<DurableConsumer> {
    const { eventType, filterSubject, ...rest } = options;
    const filter = filterSubject ?? (eventType ? eventTypeSubject(this.options.ns, eventType) : eventsSubjectWildcard(this.options.ns));
    return this.messaging.startConsumer({ ...rest, filterSubject: filter });
  }
}
