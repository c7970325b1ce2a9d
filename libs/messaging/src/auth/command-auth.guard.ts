import { Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { commandScope, describeScope, ErrorCodes, grants, HangarError, isReadCommand } from '@hangar/contracts';
import type { MsgHdrs } from 'nats';
import type { Pool } from 'pg';
import { loadSql } from '../sql-files';
import type { Principal } from './api-token.store';

const SQL = { recordRejection: loadSql('record-feed-rejection') };

/** Why a command was refused before its handler ran; counted in `feed_rejections` as consumer `commands:<service>`. */
export type CommandRejectionKind = 'token-header' | 'unbound-nats-user' | 'forbidden';

/** Finds the principal an outside NATS identity acts as: the live API token bound to its nkey. */
export interface NatsCallers {
  findByNatsKey(publicKey: string): Promise<Principal | undefined>;
}

/** The `Nats-Request-Info` header nats-server stamps on a request that crossed into Hangar's account. */
interface RequestInfo {
  acc?: string;
  user?: string;
}

/**
 * Establishes who sent a NATS command (DESIGN §4 "Trust", §7.3). No credential travels on the bus:
 * - A request published inside Hangar's NATS account carries no `Nats-Request-Info`: only Hangar's
 *   services can publish commands there (each limited by its NATS permissions), so it is served as
 *   sent, with the `actor` the sender recorded (the gateway's HTTP caller, or the service).
 * - A request from an outside publisher crossed the PUBLIC account's service import, and nats-server
 *   stamped it with the sender's account and nkey (a header the sender wrote is replaced). That key
 *   must be bound to a live API token (`hangar tokens create --nats-key`), whose scopes must cover
 *   the command; the token's name becomes the actor, whatever the payload says.
 * - A command with an `Authorization` header is refused: a token on the bus is readable by whoever
 *   may subscribe there.
 * Every refusal is counted and logged, never acted on. Installed by `startService`.
 */
export class CommandAuthGuard implements CanActivate {
  private readonly logger = new Logger(CommandAuthGuard.name);

  constructor(
    private readonly callers: NatsCallers,
    private readonly service: string,
    private readonly pool?: Pick<Pool, 'query'>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const nats = rpc.getContext<NatsContext>();
    const subject = nats.getSubject();
    const command = subject.split('.').pop() ?? '';
    const headers = nats.getHeaders() as MsgHdrs | undefined;
    if (headers?.get('Authorization')) {
      throw await this.refuse(subject, 'token-header', ErrorCodes.UNAUTHORIZED, 'NATS commands do not take tokens (a token on the bus can be read there): connect with your own NATS identity (hangar nats init --publisher) bound to your token (hangar tokens create --nats-key)');
    }
    const info = requestInfo(headers);
    if (!info) return true;
    const principal = info.user ? await this.callers.findByNatsKey(info.user) : undefined;
    if (!principal) {
      throw await this.refuse(subject, 'unbound-nats-user', ErrorCodes.UNAUTHORIZED, `NATS user ${info.user ?? '(unknown)'} of account ${info.acc ?? '(unknown)'} is not bound to a live API token: bind it with hangar tokens create --nats-key ${info.user ?? '<key>'}`);
    }
    const data: unknown = rpc.getData();
    const required = commandScope(command, data);
    if (!grants(principal.scopes, required)) {
      throw await this.refuse(subject, 'forbidden', ErrorCodes.FORBIDDEN, `token '${principal.name}' lacks the scope ${describeScope(required)} for ${command}`, { required: describeScope(required) });
    }
    if (!isReadCommand(command) && typeof data === 'object' && data !== null) (data as { actor?: string }).actor = principal.name;
    return true;
  }

  private async refuse(subject: string, kind: CommandRejectionKind, code: string, message: string, details?: unknown): Promise<HangarError> {
    this.logger.warn(`refused command on ${subject} (${kind}): ${message}`);
    await this.pool?.query(SQL.recordRejection, [`commands:${this.service}`, kind, subject, null]).catch((err: Error) => this.logger.error(`could not count a refused command: ${err.message}`));
    return new HangarError(code, message, details);
  }
}

function requestInfo(headers: MsgHdrs | undefined): RequestInfo | undefined {
  const raw = headers?.get('Nats-Request-Info');
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as RequestInfo) : {};
  } catch {
    return {};
  }
}
