import { BadRequestException, Catch, Logger, type RpcExceptionFilter } from '@nestjs/common';
import { ErrorCodes, HangarError, isErrorBody, type ErrorBody } from '@hangar/contracts';
import { ValidationError } from 'class-validator';
import { throwError, type Observable } from 'rxjs';
import { validationError } from './rpc-validation.pipe';

const logger = new Logger('RpcErrorFilter');

/**
 * The one RPC error boundary (STYLE.md "Errors"): a `HangarError` becomes its `{ error: { code,
 * message, details } }` body, a validation failure becomes `REQUEST.INVALID` naming each field, and
 * anything else becomes `INTERNAL.ERROR` with no internals in it (the cause is logged here instead).
 * Register it on the microservice with `useGlobalFilters(new RpcErrorFilter())`.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<ErrorBody> {
    return throwError(() => toErrorBody(exception));
  }
}

/** Maps anything thrown by a command handler to the wire error body. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HangarError) return exception.toBody();
  if (isErrorBody(exception)) return exception;
  if (Array.isArray(exception) && exception.every((e) => e instanceof ValidationError)) return validationError(exception).toBody();
  if (exception instanceof BadRequestException) {
    // A plain ValidationPipe (without our exceptionFactory) reports its messages this way.
    const response = exception.getResponse() as { message?: unknown };
    const messages = Array.isArray(response.message) ? response.message.map(String) : [exception.message];
    return new HangarError(ErrorCodes.VALIDATION, messages.join('; '), messages.map((message) => ({ path: '', message }))).toBody();
  }
  logger.error(`unhandled error in command handler: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
  return { error: { code: ErrorCodes.INTERNAL, message: 'internal error' } };
}
