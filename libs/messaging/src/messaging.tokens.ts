import type { EventsStreamLimits } from '@hangar/contracts';

/** Injection token of the shared `NatsConnection`. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  natsUrl: string;
  /** `HANGAR_NAMESPACE`. */
  ns: string;
  /** This service's name: durable names and the NATS connection name. */
  service: string;
  /**
   * The service credential (the admin token): sent with every command this service sends, and,
   * when set, required on every command it serves (`CommandAuthGuard`, installed by `startService`).
   */
  serviceToken?: string;
  /** Retention of the event feed `<NS>_EVENTS` (`HANGAR_STREAM_MAX_AGE`/`_MAX_BYTES`), set by whichever relay or consumer finds it. */
  eventsStream?: EventsStreamLimits;
}
