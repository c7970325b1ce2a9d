import type { NatsEndpoint } from '@hangar/contracts';
import type { EventsStreamLimits } from '@hangar/contracts';

/** Injection token of the shared `NatsConnection`. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** `NATS_URL` and this service's NATS identity (`HANGAR_NATS_CREDENTIALS`), or `HANGAR_NATS_INSECURE`. */
  nats: NatsEndpoint;
  /** `HANGAR_NAMESPACE`. */
  ns: string;
  /** This service's name: its NATS identity, durable names and the NATS connection name. */
  service: string;
  /** Retention of the event feed `<NS>_EVENTS` (`HANGAR_STREAM_MAX_AGE`/`_MAX_BYTES`), set by whichever relay or consumer finds it. */
  eventsStream?: EventsStreamLimits;
}
