import { childPath, JsonArray, JsonObject, parseJson } from './json-fields';
import { WebhookPayloadError } from './webhook-delivery';

function payloadError(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) return error;
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('parseJson', () => {
  it('parses bytes, dropping a UTF-8 byte order mark', () => {
    expect(parseJson(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]))).toEqual({ a: 1 });
  });

  it('reports truncated JSON on `body`', () => {
    const error = payloadError(() => parseJson('{"events": [{"id": "x"'));
    expect(error.path).toBe('body');
    expect(error.message).toMatch(/^body is not valid JSON: /);
  });

  it('reports on the path it is given', () => {
    expect(payloadError(() => parseJson('nope', 'message.data')).path).toBe('message.data');
  });
});

describe(JsonObject.name, () => {
  const sut = JsonObject.parse(
    JSON.stringify({ events: [{ target: { repository: 'a', size: 3 } }, 'x'], 'detail-type': 'ECR', 'odd key': 1, nothing: null, empty: '' }),
  );

  it('names the full path of a missing field', () => {
    const target = sut.array('events').objectAt(0).object('target');
    const error = payloadError(() => target.string('tag'));
    expect(error.path).toBe('events[0].target.tag');
    expect(error.message).toBe('events[0].target.tag is missing');
  });

  it('names the path and the type found when a field has the wrong type', () => {
    const error = payloadError(() => sut.array('events').objectAt(0).object('target').string('size'));
    expect(error).toMatchObject({ path: 'events[0].target.size', message: 'events[0].target.size must be a string, got a number' });
    expect(payloadError(() => sut.array('events').objectAt(1)).message).toBe('events[1] must be a JSON object, got a string');
  });

  it('treats null as absent', () => {
    expect(sut.has('nothing')).toBe(false);
    expect(sut.optionalString('nothing')).toBeUndefined();
    expect(payloadError(() => sut.string('nothing')).message).toBe('nothing is missing');
  });

  it('rejects an empty string where text is required', () => {
    expect(sut.string('empty')).toBe('');
    expect(payloadError(() => sut.text('empty')).message).toBe('empty is empty');
  });

  it('quotes keys that are not identifiers and keeps dashed ones plain', () => {
    expect(sut.pathOf('detail-type')).toBe('detail-type');
    expect(sut.pathOf('odd key')).toBe('["odd key"]');
    expect(childPath('updated_tags', 'v1.0')).toBe('updated_tags["v1.0"]');
  });

  it('reports a body that is not an object as `body`', () => {
    expect(payloadError(() => JsonObject.parse('[1]'))).toMatchObject({ path: 'body', message: 'body must be a JSON object, got an array' });
  });
});

describe(JsonArray.name, () => {
  it('indexes a root array as `[i]`', () => {
    const sut = JsonArray.of([{}, 5]);
    expect(payloadError(() => sut.objectAt(1)).path).toBe('[1]');
  });
});
