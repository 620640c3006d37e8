// Benchmark S2 measured where it happens, inside a worker, without the stdio hop:
//   mode 1: create an instance of the cached module (the worker's WASI imports bound, pooled
//           memory wiped and returned, nothing run)
//   mode 2: a whole CGI request as served (restored live instance, or a fresh one when the module
//           does not allow reuse, + _start + in-memory stdio + response parse)
//   mode 3: call the exported `answer` function on one live instance
// Returns the total nanoseconds for `iterations` operations.
import { WASI } from "@bjorn3/browser_wasi_shim";
import { instantiate, release, runCgi, wasiFor } from "./cgi.mjs";

const emptyRequest = { method: "GET", pathAndQuery: "/", headers: [], body: new Uint8Array() };

export function probe(component, mode, iterations) {
  if (!component || component.kind !== 1) throw new Error("probe needs a loaded CGI module");
  let sink = 0;
  let live;
  if (mode === 3) {
    const wasi = new WASI([], [], [], { debug: false });
    live = instantiate(component, wasi.wasiImport).instance;
    wasi.initialize(live);
    if (typeof live.exports.answer !== "function") throw new Error("module exports no `answer` function");
  }
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    if (mode === 1) {
      // The imports a request's instance gets: the component's shared WASI (see cgi.mjs).
      const { instance, memory } = instantiate(component, wasiFor(component).wasiImport);
      release(component, memory);
      sink += instance ? 1 : 0;
    } else if (mode === 2) {
      sink += runCgi(component, emptyRequest, () => {}).status;
    } else if (mode === 3) {
      sink += live.exports.answer(i);
    } else {
      throw new Error(`unknown probe mode ${mode}`);
    }
  }
  const nanos = Math.round((performance.now() - start) * 1e6);
  return sink === -1 ? 0 : nanos;
}
