/**
 * One msw server per test file for outside HTTP services. Requests to loopback (the dev
 * server, local doubles) pass through; any other unhandled request fails the test.
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { setupServer } from "msw/node";

export function useMsw() {
  const server = setupServer();
  beforeAll(() =>
    server.listen({
      onUnhandledFrame({ frame, defaults }) {
        const data = frame.data as { request?: Request };
        const host = data.request ? new URL(data.request.url).hostname : "";
        if (host === "127.0.0.1" || host === "localhost" || host === "[::1]") return;
        defaults.error();
      },
    }),
  );
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
