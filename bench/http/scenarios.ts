import autocannon from 'autocannon';
import type { ServerCpu } from './example-server.js';

/** What one autocannon run measured. */
export interface HttpFigure {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Millis: number;
  readonly p99Millis: number;
  readonly requests: number;
  /** Answers other than 2xx, plus connection errors and timeouts. */
  readonly failures: number;
  readonly connections: number;
  readonly seconds: number;
  /** The server process's CPU time per answered request (all its threads), in ms; `null` when unknown. */
  readonly serverCpuMillisPerRequest: number | null;
  /** The same for the server's main thread alone (HTTP, routing, Tessera's JavaScript). */
  readonly mainThreadCpuMillisPerRequest: number | null;
  /** The bench process's CPU time per request: autocannon, the load generator. */
  readonly loadGeneratorCpuMillisPerRequest: number;
  /** Every PostgreSQL process's CPU time per request; `null` on PGlite or without /proc. */
  readonly databaseCpuMillisPerRequest: number | null;
}

/** One autocannon run: a fixed request, or one built per request by `next`. */
export interface HttpScenario {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Builds each request's headers and body (a fresh email, the next token, ...). */
  readonly next?: () => { headers?: Record<string, string>; body?: string };
  /** Sees every answer (e.g. to keep the rotated refresh token). */
  readonly onResponse?: (status: number, body: string) => void;
}

/** Runs one scenario with autocannon and summarises it. */
export async function measureHttp(
  server: { origin: string; cpuMillis(): Promise<ServerCpu | null> },
  scenario: HttpScenario,
  options: { connections: number; seconds: number; databaseCpuMillis?: () => Promise<number | null> },
): Promise<HttpFigure> {
  const origin = server.origin;
  const databaseCpu = options.databaseCpuMillis ?? (async () => null);
  const databaseBefore = await databaseCpu();
  const cpuBefore = await server.cpuMillis();
  const loadGeneratorBefore = process.cpuUsage();
  const baseHeaders = { ...scenario.headers };
  const { next, onResponse } = scenario;
  const result = await autocannon({
    url: `${origin}${scenario.path}`,
    connections: options.connections,
    duration: options.seconds,
    method: scenario.method,
    headers: baseHeaders,
    requests: [
      {
        method: scenario.method,
        path: scenario.path,
        ...(next && {
          setupRequest: (request) => {
            const built = next();
            return { ...request, headers: { ...baseHeaders, ...built.headers }, ...(built.body !== undefined && { body: built.body }) };
          },
        }),
        ...(onResponse && { onResponse: (status: number, body: string) => onResponse(status, body) }),
      },
    ],
  });
  const loadGenerator = process.cpuUsage(loadGeneratorBefore);
  const cpuAfter = await server.cpuMillis();
  const databaseAfter = await databaseCpu();
  const perRequest = (before: number | null | undefined, after: number | null | undefined) =>
    before == null || after == null || result.requests.total === 0 ? null : (after - before) / result.requests.total;
  return {
    serverCpuMillisPerRequest: perRequest(cpuBefore?.allThreads, cpuAfter?.allThreads),
    mainThreadCpuMillisPerRequest: perRequest(cpuBefore?.mainThread, cpuAfter?.mainThread),
    loadGeneratorCpuMillisPerRequest: (loadGenerator.user + loadGenerator.system) / 1000 / Math.max(1, result.requests.total),
    databaseCpuMillisPerRequest: perRequest(databaseBefore, databaseAfter),
    name: scenario.name,
    requestsPerSecond: result.requests.average,
    p50Millis: result.latency.p50,
    p99Millis: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
    connections: options.connections,
    seconds: options.seconds,
  };
}
