import type { PathsObject } from '@nestjs/swagger';
import { APP_PARAM, arrayOf, dateTime, object, operation, queryParam, string } from './openapi-operations';

const APP_LOG_LINE = object(
  {
    timestamp: dateTime('When the line was written (UTC; nanoseconds on real machines).'),
    machineId: string(),
    instanceId: string('The machine instance (container) that printed it.'),
    region: string(),
    processGroup: string(),
    stream: string(undefined, { enum: ['stdout', 'stderr'] }),
    message: string('The line as the app printed it; Hangar adds nothing.'),
  },
  ['timestamp', 'machineId', 'instanceId', 'region', 'processGroup', 'stream', 'message'],
);

/** `LogsController`. */
export const LOGS_PATHS: PathsObject = {
  '/v1/apps/{app}/logs': {
    get: operation({
      operationId: 'appLogs',
      tag: 'machines',
      summary: 'Lines the app’s machines printed (`hangar logs`)',
      description:
        'The current instance of each machine that is not destroyed (or of `machine`), stdout and stderr, merged by time; up to the last 1000 lines per machine. JSON by default. With `?follow=true` (or `Accept: text/event-stream`) a `text/event-stream`: one `event: log` / `data: <AppLogLine JSON>` per line, `: keep-alive` comments every 15 s, and `event: end` when the lines so far were sent (without `follow`). Following, new lines come as they are printed, and machines or instances that start later (a deploy, `scale count`) join within about a second. On the simulated runtime the lines are those faults gave a machine, timed at its last state change.',
      scope: 'app:read',
      parameters: [
        APP_PARAM,
        queryParam('machine', 'Only this machine (a destroyed one too).', { type: 'string', pattern: '^[0-9a-f]{14}$' }),
        queryParam('follow', '`true` or `1`: keep streaming new lines.', { type: 'string', enum: ['true', '1', 'false', '0'] }),
        queryParam('since', 'No line before this RFC 3339 time.', { type: 'string', format: 'date-time' }),
      ],
      success: {
        status: 200,
        description: 'The lines, oldest first.',
        content: {
          'application/json': { schema: object({ app: string(), lines: arrayOf(APP_LOG_LINE) }, ['app', 'lines']) },
          'text/event-stream': { schema: string('Server-sent events.') },
        },
      },
      errors: {
        400: 'REQUEST.INVALID: a bad machine id, `follow` or `since`, or an unknown parameter.',
        404: 'RELEASE.APP_NOT_FOUND; MACHINE.NOT_FOUND: no such machine in the app.',
        429: 'REQUEST.TOO_MANY_STREAMS: the caller already follows 20 event streams, or the gateway 200.',
        503: 'TRANSPORT.UNAVAILABLE: the machines API (fleet) cannot be reached, or the gateway has no token for it.',
      },
    }),
  },
};
