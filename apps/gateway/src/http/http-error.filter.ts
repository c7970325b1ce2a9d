import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCodes, HangarError, MachinePowerErrorCodes } from '@hangar/contracts';
import { VERIFICATION_RUNNING } from '../audit/verification-gate';
import { TOO_MANY_STREAMS } from '../releases/stream-limits';
import { WebhookErrorCodes } from '../webhooks/webhook-errors';

/** The one place errors become HTTP: `{ error: { code, message, details } }` with the right status. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    if (exception instanceof HangarError) {
      const status = statusFor(exception.code);
      // The request body was not read to its end: the connection cannot be reused.
      if (status === 413) res.setHeader('Connection', 'close');
      const retryAfter = (exception.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      res.status(status).json(exception.toBody());
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? ErrorCodes.NOT_FOUND : status === 413 ? 'REQUEST.TOO_LARGE' : status < 500 ? ErrorCodes.VALIDATION : ErrorCodes.INTERNAL;
      res.status(status).json({ error: { code, message: status === 400 ? 'malformed request body: expected JSON' : exception.message } });
      return;
    }
    const parser = bodyParserError(exception);
    if (parser) {
      if (parser.status === 413) res.setHeader('Connection', 'close');
      res.status(parser.status).json({ error: parser.error });
      return;
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    res.status(500).json({ error: { code: ErrorCodes.INTERNAL, message: 'internal error' } });
  }
}

/**
 * An error of express's body parsers (http-errors with a 4xx `status` and a `type` such as
 * `entity.too.large`), as the answer it deserves instead of a 500.
 */
export function bodyParserError(exception: unknown): { status: number; error: { code: string; message: string } } | undefined {
  const e = exception as { status?: unknown; type?: unknown; limit?: unknown } | null;
  if (e === null || typeof e !== 'object' || typeof e.status !== 'number' || typeof e.type !== 'string' || e.status < 400 || e.status > 499) return undefined;
  if (e.status === 413) {
    const limit = typeof e.limit === 'number' ? ` of ${e.limit} bytes` : '';
    return { status: 413, error: { code: 'REQUEST.TOO_LARGE', message: `request body is over the limit${limit}` } };
  }
  if (e.type === 'entity.parse.failed') return { status: 400, error: { code: ErrorCodes.VALIDATION, message: 'malformed request body: expected JSON' } };
  return { status: e.status, error: { code: ErrorCodes.VALIDATION, message: `request body refused: ${e.type.replace(/\./g, ' ')}` } };
}

/** Maps a stable error code to its HTTP status. */
export function statusFor(code: string): number {
  if (code === ErrorCodes.UNAUTHORIZED || code === WebhookErrorCodes.UNAUTHORIZED) return 401;
  if (code === WebhookErrorCodes.TOO_LARGE) return 413;
  if (code === WebhookErrorCodes.INVALID_PAYLOAD || code === WebhookErrorCodes.INCOMPLETE_BODY) return 400;
  if (code === ErrorCodes.FORBIDDEN || code === WebhookErrorCodes.FORBIDDEN) return 403;
  if (code === TOO_MANY_STREAMS || code === VERIFICATION_RUNNING || code === WebhookErrorCodes.TOO_MANY_FAILURES) return 429;
  if (code.endsWith('NOT_FOUND')) return 404;
  if (code === ErrorCodes.APP_EXISTS || code === ErrorCodes.APP_BUSY || code === MachinePowerErrorCodes.LEASE_HELD || code.endsWith('CONFLICT')) return 409;
  if (code.startsWith('TRANSPORT.')) return 503;
  if (code === ErrorCodes.INTERNAL) return 500;
  if (code.startsWith('REQUEST.') || code.startsWith('CONFIG.') || code.startsWith('RELEASE.') || code.startsWith('IMAGE.') || code.startsWith('REGISTRY.')) return 400;
  return 422;
}
