import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy of the test's own between the API and a shared server (PostgreSQL, Redis), so a
 * test can take that server away without touching it: refuse new connections and cut the open
 * ones (a restart), or swallow every byte (a dead network path, a hung process).
 */
export interface TcpProxy {
  port: number;
  /** Cuts every open connection and refuses new ones, as a stopped server does. */
  refuse(): Promise<void>;
  /** Accepts connections again, and forwards them. */
  accept(): Promise<void>;
  /**
   * A network path that stops delivering (a partition, a hung host): connections are accepted but
   * nothing moves either way until `accept()`, which delivers what was held, as TCP would.
   */
  blackhole(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  const open = new Set<Socket>();
  /** Clients that arrived during a blackhole, connected upstream once it ends. */
  const held: Socket[] = [];
  let holding = false;
  let server: Server;
  let port = 0;

  const forward = (client: Socket) => {
    const upstream = connect(targetPort, targetHost);
    open.add(upstream);
    upstream.on("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const handle = (client: Socket) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    if (holding) {
      client.pause();
      held.push(client);
      return;
    }
    forward(client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(handle);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        if (typeof address === "object" && address) port = address.port;
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  await listen();

  return {
    get port() {
      return port;
    },
    async refuse() {
      holding = false;
      held.length = 0;
      const closed = stopListening();
      for (const socket of open) socket.destroy();
      await closed;
    },
    async accept() {
      if (holding) {
        holding = false;
        const waiting = new Set(held.splice(0));
        // A held client has no reader yet: resumed before it is piped, its bytes would be lost.
        for (const socket of open) if (!waiting.has(socket)) socket.resume();
        for (const client of waiting) forward(client);
      }
      if (!server.listening) await listen();
    },
    blackhole() {
      holding = true;
      for (const socket of open) socket.pause();
    },
    async close() {
      for (const socket of open) socket.destroy();
      if (server.listening) await stopListening();
    },
  };
}
