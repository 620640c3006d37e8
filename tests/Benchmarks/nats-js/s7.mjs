// S7, nats.js side: the same workload as tests/Benchmarks/Nats/NatsClientBenchmarks.cs.
// Usage: node s7.mjs nats://127.0.0.1:PORT
// Prints one JSON line: mean request/reply round trip (µs) and mean time per publish batch (ms).
import { connect } from "nats";

const url = process.argv[2] ?? "nats://127.0.0.1:4222";
const RequestsWarmup = 2000;
const Requests = 20000;
const Batch = 10000;
const Batches = 30;
const payload = new Uint8Array(128).fill(120);

const requester = await connect({ servers: url, name: "s7-js-requester" });
const responder = await connect({ servers: url, name: "s7-js-responder" });
const sub = responder.subscribe("s7.js.echo");
(async () => {
  for await (const m of sub) m.respond(m.data);
})();
await responder.flush();

for (let i = 0; i < RequestsWarmup; i++) await requester.request("s7.js.echo", payload, { timeout: 2000 });
let start = process.hrtime.bigint();
for (let i = 0; i < Requests; i++) await requester.request("s7.js.echo", payload, { timeout: 2000 });
const roundTripUs = Number(process.hrtime.bigint() - start) / 1000 / Requests;

// Publish: a batch of 128-byte messages then a flush (PING/PONG), so the batch has reached the server.
for (let b = 0; b < 3; b++) {
  for (let i = 0; i < Batch; i++) requester.publish("s7.js.sink", payload);
  await requester.flush();
}
start = process.hrtime.bigint();
for (let b = 0; b < Batches; b++) {
  for (let i = 0; i < Batch; i++) requester.publish("s7.js.sink", payload);
  await requester.flush();
}
const batchMs = Number(process.hrtime.bigint() - start) / 1e6 / Batches;

console.log(JSON.stringify({ client: "nats.js 2.29", roundTripUs, batchMs, publishPerSecond: Batch / (batchMs / 1000) }));
await requester.close();
await responder.close();
