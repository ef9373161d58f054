/**
 * Reading the request body, bounded in size and in time: more than the limit (declared or
 * streamed) -> 413 payload_too_large; a body still arriving when the request budget runs out
 * -> 408 request_timeout (a slow client cannot hold the function); a client that goes away
 * mid-upload -> client_closed (499), a client event, not a server bug. The connection is not
 * reusable after any of them (part of the body was never read): the error carries
 * `connection: close`.
 */
import { ApiError } from "../errors.js";

const closeConnection = { connection: "close" };

export const tooLarge = (limit: number) =>
  new ApiError("payload_too_large", `The request body is larger than ${limit} bytes.`, { headers: closeConnection });

const tooSlow = () => new ApiError("request_timeout", "The request body took too long to arrive.", { headers: closeConnection });

const clientClosed = () => new ApiError("client_closed", "The client closed the connection before the body arrived.", { headers: closeConnection });

/** The body as UTF-8 text, read until `deadline` (epoch ms) at the latest. */
export async function readBody(request: Request, limit: number, deadline: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
  });
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array> | "timeout";
      try {
        next = await Promise.race([reader.read(), timedOut]);
      } catch {
        // The stream itself failed: the client aborted the upload (or the socket broke).
        throw clientClosed();
      }
      if (next === "timeout") {
        reader.cancel().catch(() => {});
        throw tooSlow();
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
