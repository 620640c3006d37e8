// One execution thread. The main thread gives it one job at a time and terminates it when a job
// overruns its deadline (V8 cannot interrupt running wasm on its own thread), so whatever an actor
// does here can at worst cost this worker, never the sidecar.
import { parentPort, workerData } from "node:worker_threads";
import { GuestFailure, runCgi } from "./cgi.mjs";
import { decodeInvoke, encodeResponse } from "./frames.mjs";
import { runComponent } from "./component.mjs";
import { openHostCalls } from "./host-call.mjs";
import { probe } from "./probe.mjs";

const components = new Map();
openHostCalls();

// Anything printed here would travel to the sidecar's stdout, which carries frames: route it to
// the host log instead.
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => parentPort.postMessage({ op: "log", componentId: "", level, text: args.join(" ") });
}

function logFor(componentId) {
  return (level, text) => parentPort.postMessage({ op: "log", componentId, level, text });
}

parentPort.on("message", async (msg) => {
  switch (msg.op) {
    case "load":
      components.set(msg.componentId, { ...msg.component, instance: undefined });
      return;
    case "unload":
      components.delete(msg.componentId);
      return;
    case "invoke":
      break;
    case "probe": {
      try {
        const nanos = probe(components.get(msg.componentId), msg.mode, msg.iterations);
        parentPort.postMessage({ op: "probed", job: msg.job, nanos });
      } catch (e) {
        parentPort.postMessage({ op: "failed", job: msg.job, code: 5, message: e?.message ?? String(e) });
      }
      return;
    }
    default:
      return;
  }
  const { job } = msg;
  let componentId = "";
  try {
    const request = decodeInvoke(msg.payload);
    componentId = request.componentId;
    const component = components.get(componentId);
    if (!component) throw new GuestFailure(4, `component ${componentId} is not loaded`);
    const response = component.kind === 1
      ? runCgi(component, request, (line) => logFor(componentId)("stderr", line))
      : await runComponent(componentId, component, workerData.shimDir, request, logFor(componentId));
    const frame = encodeResponse(job, response.status, response.headers, response.body);
    parentPort.postMessage({ op: "frame", job, frame }, [frame.buffer]);
  } catch (e) {
    const code = e instanceof GuestFailure ? e.code : 6;
    parentPort.postMessage({ op: "failed", job, code, message: e?.message ?? String(e) });
  }
});
