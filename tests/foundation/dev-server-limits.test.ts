/**
 * The dev server at the socket level: a body that trickles in is cut off within the request
 * budget (408), a client that goes away mid-upload is a one-line 499 (no "unhandled error", no
 * stack), a 413 on a chunked upload closes the connection cleanly so the next request works,
 * and GET /api/openapi.json is served.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDevServer, type DevServer } from "../../scripts/dev-server.js";
import { createTestServices } from "../helpers/services.js";

let dev: DevServer;
let written: string[] = [];
beforeAll(async () => {
  dev = await startDevServer({ port: 0, quiet: true, services: await createTestServices({ REQUEST_BUDGET_MS: "1500", MAX_BODY_BYTES: "2048", LOG_LEVEL: "info" }) });
});
afterAll(async () => {
  await dev.close();
  await dev.services.store.close();
});

/** Opens a raw connection and writes `head` (the request line and headers) plus `body`. */
function open(head: string, body = ""): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let data = "";
    const socket = connect(dev.port, "127.0.0.1", () => {
      socket.write(head + body);
      resolve({ socket, received: () => data, closed });
    });
    const closed = new Promise<void>((r) => socket.on("close", () => r()));
    socket.on("data", (d) => (data += d.toString("utf8")));
    socket.on("error", reject);
  });
}

async function until(what: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return what();
}

const head = (extra: string) => `POST /api/lead HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${extra}\r\n`;

describe("dev server limits", () => {
  it("answers 408 within the request budget when the body trickles in, and closes the connection", async () => {
    const started = Date.now();
    const conn = await open(head("Content-Length: 200\r\n"), '{"email":');
    const answered = await until(() => conn.received().includes("\r\n\r\n"), 4000);
    expect(answered, "no answer within the budget").toBe(true);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(conn.received().toLowerCase()).toContain("connection: close");
    expect(Date.now() - started).toBeLessThan(4000);
    conn.socket.destroy();
  }, 10_000);

  it("logs a client that disconnects mid-upload as one 499 request line, without an error or a stack", async () => {
    written = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown) => (written.push(String(chunk)), true)) as typeof process.stdout.write);
    const spyErr = vi.spyOn(process.stderr, "write").mockImplementation(((chunk: unknown) => (written.push(String(chunk)), true)) as typeof process.stderr.write);
    try {
      const conn = await open(head("Content-Length: 500\r\n"), '{"email":"gone@example.fr",');
      await new Promise((r) => setTimeout(r, 100));
      conn.socket.destroy();
      const logged = await until(() => written.join("").includes('"request"') && written.join("").includes("lead"), 4000);
      expect(logged, written.join("")).toBe(true);
    } finally {
      spy.mockRestore();
      spyErr.mockRestore();
    }
    const lines = written.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
    expect(lines.some((l) => "stack" in l)).toBe(false);
    expect(lines.filter((l) => l.route === "lead")).toEqual([expect.objectContaining({ msg: "request", status: 499 })]);
  }, 10_000);

  it("after a 413 on a chunked upload, the connection is closed and the next request works", async () => {
    const chunk = "x".repeat(1024);
    const body = [1, 2, 3, 4].map(() => `${(1024).toString(16)}\r\n${chunk}\r\n`).join("") + "0\r\n\r\n";
    const conn = await open(head("Transfer-Encoding: chunked\r\n"), body);
    await until(() => conn.received().includes("\r\n\r\n"), 4000);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(conn.received().toLowerCase()).toContain("connection: close");
    await Promise.race([conn.closed, new Promise((r) => setTimeout(r, 3000))]);
    expect(conn.socket.destroyed || conn.socket.readableEnded, "the server kept the broken connection open").toBe(true);
    conn.socket.destroy();

    const res = await fetch(`${dev.url}/api/health`);
    expect(res.status).toBe(200);
  }, 10_000);

  it("sets the server's own timeouts and a connection cap", () => {
    expect(dev.server.requestTimeout).toBeGreaterThan(0);
    expect(dev.server.requestTimeout).toBeLessThanOrEqual(1500 + 5000);
    expect(dev.server.headersTimeout).toBeLessThanOrEqual(dev.server.requestTimeout);
    expect(dev.server.maxConnections).toBeGreaterThan(0);
  });

  it("serves the OpenAPI document at /api/openapi.json", async () => {
    const res = await fetch(`${dev.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
