/** Injection token of the shared `NatsConnection`. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  natsUrl: string;
  /** `HANGAR_NAMESPACE`. */
  ns: string;
  /** This service's name: durable names and the NATS connection name. */
  service: string;
}
