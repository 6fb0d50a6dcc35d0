import type { Logger } from '@tessera/core';

/**
 * Graceful shutdown on SIGTERM (what container platforms and process managers send) and SIGINT
 * (Ctrl+C): runs `stop` once, which should stop accepting connections, let the requests in
 * flight finish, then close Tessera and the database; then exits 0 (1 when stopping failed).
 * A second signal while stopping is ignored; the platform's own kill timeout remains the backstop.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, flushLogs: () => void = () => undefined): void {
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, 'shutting down: finishing the requests in flight');
    stop().then(
      () => {
        logger.info({}, 'stopped');
        flushLogs();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
        flushLogs();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Resolves once a Node HTTP server has stopped: no new connections, every request in flight
 * answered. Keep-alive connections are closed as soon as they are idle (Node's `close()` alone
 * would wait for a connection that finishes its response afterwards until its keep-alive
 * timeout); after `graceMs` the rest are cut, so a stuck client cannot hold the shutdown forever.
 */
export function closeHttpServer(
  server: { close(callback: (error?: Error) => void): unknown; closeIdleConnections(): void; closeAllConnections(): void },
  graceMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
