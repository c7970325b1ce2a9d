import { Logger } from '@nestjs/common';
import { ErrorCodes, HangarError, openSealed, createSealingKeyPair, secretValuesContext, type MachineUpdateRequestedData, type SecretValuesReply } from '@hangar/contracts';
import type { CommandClient } from '@hangar/messaging';
import type { OperationResult } from './machine-operation.executor';

/** Where the values of a secrets version come from at apply time (the port; NATS in production). */
export interface SecretValuesSource {
  valuesOf(app: string, version: number): Promise<Record<string, string>>;
}

/**
 * Asks the secrets service (`<ns>.cmd.secrets.get-values`) with a one-off X25519 key: the reply is
 * sealed to it, so the values cross the bus encrypted and exist in plaintext only in this process.
 */
export class NatsSecretValuesSource implements SecretValuesSource {
  constructor(
    private readonly commands: CommandClient,
    private readonly timeoutMs = 10_000,
  ) {}

  async valuesOf(app: string, version: number): Promise<Record<string, string>> {
    const keys = createSealingKeyPair();
    const reply = await this.commands.request<SecretValuesReply>('secrets', 'get-values', { app, version, recipientPublicKey: keys.publicKey }, { timeoutMs: this.timeoutMs });
    let values: unknown;
    try {
      values = JSON.parse(openSealed(reply.sealed, keys, secretValuesContext(app, version)));
    } catch (error) {
      // A parse error quotes its input: never let it carry a value into a reason or a log.
      throw error instanceof HangarError ? error : new Error(`get-values for ${app} version ${version} did not hold JSON`);
    }
    if (typeof values !== 'object' || values === null || Object.values(values).some((v) => typeof v !== 'string')) {
      throw new Error(`get-values for ${app} version ${version} did not hold an object of strings`);
    }
    return values as Record<string, string>;
  }
}

/** The request to carry out, with its secrets in `config.env`, and a scrubber for anything reported back. */
export type Delivery =
  | { kind: 'ready'; request: MachineUpdateRequestedData; redact(result: OperationResult): OperationResult }
  /** The values could not be had: the operation fails (or, when `retryable`, runs again later) untouched. */
  | { kind: 'unavailable'; result: OperationResult };

/** Errors that mean "not now": the secrets service is down, overloaded or restarting. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([ErrorCodes.TIMEOUT, ErrorCodes.UNAVAILABLE, ErrorCodes.INTERNAL]);
/** Values shorter than this are not scrubbed from messages: they would garble them and hide little. */
const MIN_REDACTED_LENGTH = 4;

/**
 * Delivery of secrets to machines (DESIGN §6.6, G5): right before an operation with a config runs,
 * the values of the release's secrets version are fetched and merged into the env sent to the
 * machines API (a secret overrides an `[env]` entry of the same name). Nothing else carries them:
 * the request event keeps only the version, and reasons and logs reported back are scrubbed.
 */
export class SecretsDelivery {
  private readonly logger = new Logger(SecretsDelivery.name);

  constructor(private readonly source: SecretValuesSource) {}

  async prepare(req: MachineUpdateRequestedData): Promise<Delivery> {
    const version = req.secretsVersion;
    if (version === undefined || !req.config) return { kind: 'ready', request: req, redact: (r) => r };
    let values: Record<string, string>;
    try {
      values = await this.source.valuesOf(req.app, version);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const reason = `cannot get secrets version ${version} of app ${req.app}: ${error instanceof Error ? error.message : String(error)}`;
      const retryable = typeof code !== 'string' || TRANSIENT_CODES.has(code);
      if (retryable) this.logger.warn(`operation ${req.key} waits for the secrets service: ${reason}`);
      return { kind: 'unavailable', result: { ok: false, ...(req.machineId ? { machineId: req.machineId } : {}), reason, ...(retryable ? { retryable: true } : {}) } };
    }
    const request = { ...req, config: { ...req.config, env: { ...(req.config.env ?? {}), ...values } } };
    return { kind: 'ready', request, redact: (result) => redactResult(result, Object.values(values)) };
  }
}

/** `result` with every secret value in its reason and logs replaced by `[REDACTED]`. */
export function redactResult(result: OperationResult, values: readonly string[]): OperationResult {
  const secrets = values.filter((v) => v.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return result;
  const scrub = (text: string) => secrets.reduce((t, v) => t.split(v).join('[REDACTED]'), text);
  return {
    ...result,
    ...('reason' in result && typeof result.reason === 'string' ? { reason: scrub(result.reason) } : {}),
    ...(result.logs ? { logs: result.logs.map(scrub) } : {}),
  } as OperationResult;
}
