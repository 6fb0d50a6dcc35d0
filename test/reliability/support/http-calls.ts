import type { Tessera } from '@tessera/core';

/** Where requests go: Tessera's handler in this process, or an app process over the network. */
export type HttpTarget = (request: Request) => Promise<Response>;

/** What a call returned: the status, the content type and the parsed body (`null` when none). */
export interface CallResult {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Headers;
  readonly body: Record<string, unknown> | null;
}

/** A request's options: a JSON body, a bearer token, the client's address. */
export interface CallOptions {
  readonly json?: unknown;
  readonly token?: string;
  /** Sent as `x-test-client-ip`: each simulated client has its own address, as in production. */
  readonly clientIp?: string;
}

const clientIpHeader = 'x-test-client-ip';

/** Tessera's handler mounted at `/auth`, taking the client address from the test header. */
export function inProcess(tessera: Pick<Tessera, 'handler'>): HttpTarget {
  return (request) => tessera.handler(request, { basePath: '/auth', clientIp: request.headers.get(clientIpHeader) });
}

/** An app listening at `baseUrl` (Tessera mounted at `/auth`). */
export function overNetwork(baseUrl: string): HttpTarget {
  return async (request) => {
    const url = new URL(request.url);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    return fetch(new URL(url.pathname + url.search, baseUrl), { method: request.method, headers: request.headers, ...(body && { body }) });
  };
}

/** Sends one request under `/auth` and reads the answer whole. */
export async function call(target: HttpTarget, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.clientIp !== undefined) headers[clientIpHeader] = options.clientIp;
  const response = await target(
    new Request(`http://app.test/auth${path}`, { method, headers, ...(options.json !== undefined && { body: JSON.stringify(options.json) }) }),
  );
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, headers: response.headers, body: text && /json/.test(contentType) ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** A client address of its own for the n-th simulated client (TEST-NET-2, RFC 5737). */
export function clientAddress(n: number): string {
  return `198.51.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

/** `status code` of a problem response, `status` otherwise: compact for tallies and messages. */
export function outcomeOf(result: CallResult): string {
  return typeof result.body?.code === 'string' ? `${result.status} ${result.body.code}` : String(result.status);
}

/** How often each outcome occurred, e.g. `{ '201': 1, '409 email_taken': 99 }`. */
export function tally(results: readonly CallResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[outcomeOf(result)] = (counts[outcomeOf(result)] ?? 0) + 1;
  return counts;
}
