import { TesseraError } from '../errors.js';

/** The body formats a route accepts. */
export type BodyFormat = 'json' | 'form';

/** Limits on what the handler reads. */
export interface BodyLimits {
  readonly maxBytes: number;
  readonly maxJsonDepth: number;
}

/** A request body after reading: parsed, or absent. */
export type ReadBody = { readonly format: BodyFormat; readonly value: unknown } | { readonly format: 'none' };

const mediaTypes: Readonly<Record<BodyFormat, (mediaType: string) => boolean>> = {
  json: (mediaType) => mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType),
  form: (mediaType) => mediaType === 'application/x-www-form-urlencoded',
};

/**
 * Reads a request body. The size cap is enforced while the stream is read (whatever
 * Content-Length claims, chunked or not), so no adapter's own limit is relied upon; JSON
 * nesting is bounded before parsing.
 *
 * @throws TesseraError `payload_too_large`, `unsupported_media_type`, `malformed_request`.
 */
export async function readRequestBody(request: Request, accepted: readonly BodyFormat[], limits: BodyLimits): Promise<ReadBody> {
  const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declaredLength > limits.maxBytes) throw new TesseraError('payload_too_large');
  const bytes = await readCapped(request, limits.maxBytes);
  if (bytes.length === 0) return { format: 'none' };

  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format = accepted.find((candidate) => mediaTypes[candidate](mediaType));
  if (!format) {
    throw new TesseraError('unsupported_media_type', `Send the body as ${accepted.map((candidate) => (candidate === 'json' ? 'application/json' : 'application/x-www-form-urlencoded')).join(' or ')}.`);
  }
  const text = decodeUtf8(bytes);
  if (format === 'form') return { format, value: parseForm(text) };
  if (jsonDepthExceeds(text, limits.maxJsonDepth)) {
    throw new TesseraError('malformed_request', `The JSON body nests deeper than ${limits.maxJsonDepth} levels.`);
  }
  try {
    return { format, value: JSON.parse(text) as unknown };
  } catch {
    throw new TesseraError('malformed_request', 'The body is not valid JSON.');
  }
}

async function readCapped(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new TesseraError('payload_too_large');
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    throw new TesseraError('malformed_request', 'The request body could not be read.', { cause: error });
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new TesseraError('malformed_request', 'The body is not valid UTF-8.');
  }
}

/** Form fields as an object; a field sent twice is refused (parameter pollution). */
function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(text)) {
    // An unknown field is named in the answer. JSON sent with a form content type becomes a field
    // named after the whole document, and the password inside it would come back: only plain
    // names are taken (and never repeated in the refusal).
    if (!/^[\w.$-]{0,64}$/.test(key)) throw new TesseraError('malformed_request', 'A form field name is not a plain name (is this JSON? send it as application/json).');
    if (Object.hasOwn(fields, key)) throw new TesseraError('malformed_request', `The form field "${key}" is repeated.`);
    fields[key] = value;
  }
  return { ...fields };
}

/** Whether brackets nest deeper than `maxDepth`, counting only outside strings. */
function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}
