/**
 * A TCP proxy in front of a PostgreSQL server that a test (or scripts/outage-check.ts) can cut
 * and restore: "stopped" resets open connections and refuses new ones (the server was stopped),
 * "unreachable" resets them and lets new ones hang (packets dropped).
 */
import { createServer, connect, type Server, type Socket } from "node:net";

export class DbProxy {
  mode: "up" | "stopped" | "unreachable" = "up";
  private listener: Server | null = null;
  private readonly pairs = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.listener = createServer((client) => {
      this.pairs.add(client);
      client.on("close", () => this.pairs.delete(client));
      client.on("error", () => {});
      if (this.mode === "unreachable") return; // accepted, never answered
      const upstream = connect(this.target.port, this.target.host);
      this.pairs.add(upstream);
      upstream.on("close", () => (this.pairs.delete(upstream), client.destroy()));
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.listener!.listen(this.port, "127.0.0.1", resolve));
    const address = this.listener.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  private async stopListening(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    for (const s of this.pairs) s.destroy();
    this.pairs.clear();
    if (l) await new Promise<void>((resolve) => l.close(() => resolve()));
  }

  /** Resets every connection; new ones are refused ("stopped") or hang ("unreachable"). */
  async cut(mode: "stopped" | "unreachable"): Promise<void> {
    await this.stopListening();
    this.mode = mode;
    if (mode === "unreachable") await this.start();
  }

  async restore(): Promise<void> {
    await this.stopListening();
    this.mode = "up";
    await this.start();
  }

  close(): Promise<void> {
    return this.stopListening();
  }
}
