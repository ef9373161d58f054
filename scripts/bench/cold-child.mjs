// Cold-start probe: a fresh Node process imports one compiled api/ module, serves one request
// (described by COLD_REQUEST, JSON), prints "served <status>" as soon as the response is ready,
// then finishes any deferred work and exits. The parent times spawn -> that line.
const spec = JSON.parse(process.env.COLD_REQUEST);
const mod = await import(spec.module);
const pending = [];
const res = await mod[spec.method](
  new Request(spec.url, { method: spec.method, headers: spec.headers, body: spec.body }),
  { waitUntil: (p) => pending.push(p) },
);
process.stdout.write(`served ${res.status}\n`);
await Promise.allSettled(pending);
process.exit(0);
