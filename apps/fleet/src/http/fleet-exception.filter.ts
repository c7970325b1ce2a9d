import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HangarError } from '@hangar/contracts';
import type { Response } from 'express';
import { FleetErrorCodes } from '../machines/domain/fleet-errors';

/** HTTP status of each fleet error code, as the Fly Machines API would answer. */
const STATUS: Record<string, number> = {
  [FleetErrorCodes.INVALID]: 400,
  [FleetErrorCodes.UNAUTHORIZED]: 401,
  [FleetErrorCodes.FORBIDDEN]: 403,
  [FleetErrorCodes.NOT_FOUND]: 404,
  [FleetErrorCodes.WAIT_TIMEOUT]: 408,
  [FleetErrorCodes.LEASE_HELD]: 409,
  [FleetErrorCodes.CONFLICT]: 409,
  [FleetErrorCodes.PRECONDITION]: 412,
  [FleetErrorCodes.UNPROCESSABLE]: 422,
  [FleetErrorCodes.RATE_LIMITED]: 429,
  [FleetErrorCodes.FAULT_INJECTED]: 500,
  [FleetErrorCodes.UNAVAILABLE]: 503,
};

/** The one place errors become HTTP: Fly's `{ error: "<text>" }` body, not Hangar's error shape, since fleet imitates Fly. */
@Catch()
export class FleetExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Fleet');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, message } = this.describe(exception);
    if (status >= 500 && !(exception instanceof HangarError)) this.logger.error(message, exception instanceof Error ? exception.stack : undefined);
    response.status(status).json({ error: message });
  }

  private describe(exception: unknown): { status: number; message: string } {
    if (exception instanceof HangarError) return { status: STATUS[exception.code] ?? 500, message: exception.message };
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const raw = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : exception.message;
      return { status: exception.getStatus(), message: Array.isArray(raw) ? raw.join('; ') : String(raw) };
    }
    return { status: 500, message: `internal error: ${exception instanceof Error ? exception.message : String(exception)}` };
  }
}
