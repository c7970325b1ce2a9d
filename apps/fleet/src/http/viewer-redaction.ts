/** What a viewer sees in place of a secret value. */
export const REDACTED = '<redacted>';

/**
 * `body` as the viewer token may see it (review H1): every `env` map keeps its keys with each value
 * replaced by {@link REDACTED} (machine `config.env`, where Hangar delivers secrets, and any other,
 * such as Fly's `processes[].env`), and so are file contents (`raw_value`) and lease nonces. Matched
 * by field name anywhere in the body, so a route added later cannot forget it.
 */
export function redactForViewer(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactForViewer);
  if (body === null || typeof body !== 'object') return body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'env' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.keys(value).map((name) => [name, REDACTED]));
    } else if ((key === 'raw_value' || key === 'nonce') && typeof value === 'string') {
      out[key] = REDACTED;
    } else {
      out[key] = redactForViewer(value);
    }
  }
  return out;
}
