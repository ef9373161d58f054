/**
 * Loopback doubles of the outside services for the benchmarks: they answer instantly with the
 * real response shapes (FACTS.md), so a measurement is Comptoir's own time.
 */
import { createServer, type Server } from "node:http";

export interface Doubles { url: string; counts: Record<string, number>; close(): Promise<void> }

export async function startDoubles(): Promise<Doubles> {
  const counts: Record<string, number> = {};
  let seq = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      const key = `${req.method} ${url.pathname.replace(/\/\d+\//, "/:id/")}`;
      counts[key] = (counts[key] ?? 0) + 1;
      seq++;
      if (/\/messages$/.test(url.pathname)) {
        // WhatsApp Cloud API and Messenger Send API
        if (url.pathname.includes("/me/")) return send(200, { recipient_id: "PSID", message_id: `m_${seq}` });
        return send(200, { messaging_product: "whatsapp", contacts: [{ input: "33612345678", wa_id: "33612345678" }], messages: [{ id: `wamid.bench${seq}` }] });
      }
      if (url.pathname === "/v1/checkout/sessions" && req.method === "POST") {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        const id = `cs_test_bench${seq}`;
        let total = 0;
        for (let i = 0; form.has(`line_items[${i}][quantity]`); i++) {
          total += Number(form.get(`line_items[${i}][quantity]`)) * Number(form.get(`line_items[${i}][price_data][unit_amount]`));
        }
        return send(200, {
          id, object: "checkout.session", url: `https://checkout.stripe.com/c/pay/${id}`, status: "open", payment_status: "unpaid",
          amount_total: total, currency: form.get("line_items[0][price_data][currency]") ?? "eur",
          client_reference_id: form.get("client_reference_id"), expires_at: Math.floor(Date.now() / 1000) + 3600, metadata: {},
        });
      }
      if (url.pathname.endsWith("/chat/completions")) {
        return send(200, {
          id: `chatcmpl-${seq}`, object: "chat.completion", created: Math.floor(Date.now() / 1000), model: "bench",
          choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Bonjour ! Que puis-je faire pour vous ?" } }],
          usage: { prompt_tokens: 10, completion_tokens: 8, total_tokens: 18 },
        });
      }
      if (url.pathname.startsWith("/bench/")) return send(200, { ok: true });
      // A channel worker running elsewhere (another instance, busy): accepts the call, answers nothing.
      if (url.pathname === "/api/channel-worker" && req.method === "POST") return send(202, { accepted: true });
      send(404, { error: { message: `no double for ${req.method} ${url.pathname}` } });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
