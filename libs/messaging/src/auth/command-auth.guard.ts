import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { commandScope, describeScope, ErrorCodes, grants, HangarError, isReadCommand } from '@hangar/contracts';
import { bearerSecret, CredentialVerifier } from './credential-verifier';

/**
 * Checks every NATS command (DESIGN §7.3): an `Authorization: Bearer <token>` message header with
 * the admin/service token or an API token whose scopes cover the command (`commandScope`). A
 * command sent with an API token records that token as its actor: `actor` in the payload is
 * overwritten, so only Hangar's own services (which forward the HTTP caller) choose the actor.
 * Installed by `startService` when the service has a credential.
 */
export class CommandAuthGuard implements CanActivate {
  constructor(private readonly verifier: CredentialVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const nats = rpc.getContext<NatsContext>();
    const command = nats.getSubject().split('.').pop() ?? '';
    const secret = bearerSecret(nats.getHeaders()?.get('Authorization'));
    if (!secret) throw new HangarError(ErrorCodes.UNAUTHORIZED, 'missing token: send the header Authorization: Bearer <token> with the command');
    const principal = await this.verifier.verify(secret);
    if (!principal) throw new HangarError(ErrorCodes.UNAUTHORIZED, 'invalid token');
    const data: unknown = rpc.getData();
    const required = commandScope(command, data);
    if (!grants(principal.scopes, required)) {
      throw new HangarError(ErrorCodes.FORBIDDEN, `token '${principal.name}' lacks the scope ${describeScope(required)} for ${command}`, { required: describeScope(required) });
    }
    if (!CredentialVerifier.isAdmin(principal) && !isReadCommand(command) && typeof data === 'object' && data !== null) {
      (data as { actor?: string }).actor = principal.name;
    }
    return true;
  }
}
