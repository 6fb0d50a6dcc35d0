import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/** How the proxy treats traffic right now. */
export type ProxyMode = 'forward' | 'stall';

/**
 * A TCP proxy on 127.0.0.1 between a client and a real server, which the test can break: cut
 * every open connection (both sides see a reset), refuse new ones (the port is closed), or
 * stall (connections stay open and nothing more gets through, like a network partition).
 * Everything else is the real server's own behaviour.
 */
export class TcpFaultProxy {
  readonly #target: { host: string; port: number };
  readonly #pairs = new Set<{ client: Socket; server: Socket }>();
  #server: Server | undefined;
  #port = 0;
  #mode: ProxyMode = 'forward';

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  /** Starts a proxy to `target` on an ephemeral port. */
  static async start(target: { host: string; port: number }): Promise<TcpFaultProxy> {
    const proxy = new TcpFaultProxy(target);
    await proxy.accept();
    return proxy;
  }

  /** The port clients connect to (kept across {@link refuse} and {@link accept}). */
  get port(): number {
    return this.#port;
  }

  /** How many client connections are open. */
  get openConnections(): number {
    return this.#pairs.size;
  }

  /** Rewrites a URL of the target server so that it goes through the proxy. */
  urlThrough(url: string): string {
    const through = new URL(url);
    through.hostname = '127.0.0.1';
    through.port = String(this.#port);
    return through.toString();
  }

  /** Listens (again) and forwards new connections. */
  async accept(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Closes the port: new connections are refused (ECONNREFUSED); open ones are untouched. */
  async refuse(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resets every open connection on both sides, as a crashed server or a broken link would. */
  cutConnections(): void {
    for (const pair of this.#pairs) {
      pair.client.resetAndDestroy();
      pair.server.resetAndDestroy();
    }
    this.#pairs.clear();
  }

  /** `stall`: bytes stop flowing in both directions (connections stay open); `forward`: they flow again. */
  setMode(mode: ProxyMode): void {
    this.#mode = mode;
    for (const { client, server } of this.#pairs) {
      if (mode === 'stall') {
        client.pause();
        server.pause();
      } else {
        client.resume();
        server.resume();
      }
    }
  }

  /** Stops listening and cuts everything. */
  async close(): Promise<void> {
    await this.refuse();
    this.cutConnections();
  }

  #pipe(client: Socket): void {
    const server = connect(this.#target.port, this.#target.host);
    const pair = { client, server };
    this.#pairs.add(pair);
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    // Flowing by hand (not pipe()) so that pausing a socket really stops the traffic.
    client.on('data', (chunk) => server.write(chunk));
    server.on('data', (chunk) => client.write(chunk));
    if (this.#mode === 'stall') {
      client.pause();
      server.pause();
    }
  }
}
