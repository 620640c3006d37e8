// One execution thread. The main thread hands it jobs (raw Invoke payloads) through a ring in
// shared memory (job-ring.mjs) and it runs them one at a time, in order, writing each answer to
// the host itself (output.mjs). Its
// progress lives in shared memory (`slot`, see sidecar.mjs), which is how the main thread spreads
// new jobs and enforces deadlines without a message per request: it terminates this worker when
// a job overruns its deadline (V8 cannot interrupt running wasm on its own thread), so whatever an
// actor does here can at worst cost this worker, never the sidecar.
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { GuestFailure, runCgi } from "./cgi.mjs";
import { runComponent } from "./component.mjs";
import { FailureCode, FrameType, FrameWriter, decodeInvoke, encodeResponse } from "./frames.mjs";
import { openHostCalls } from "./host-call.mjs";
import { INVOKE, JobRing } from "./job-ring.mjs";
import { flushOutput, openOutput, writeFrames } from "./output.mjs";
import { probe } from "./probe.mjs";

// Slot layout (Int32 indexes; the Float64 at byte 16 is the running job's start, epoch ms). STATE
// is IDLE, the running job's 1-based sequence number (jobs completed before it + 1), that number
// flagged as REVOKING (the main thread took back the jobs queued behind it, up to FENCE),
// RESPONDING (its guest part is over) or KILLED (the main thread condemned it for its deadline).
const STATE = 0;
const COMPLETED = 1;
const FENCE = 2;
const IDLE = 0;
const RESPONDING = -1;
const revoking = (running) => -running - 10;

const components = new Map();
const slot = new Int32Array(workerData.slot, 0, 4);
const started = new Float64Array(workerData.slot, 16, 1);
/** Jobs numbered up to this one (their `n`) were taken back by the main thread; null when none were. */
let revokedThrough = null;
openOutput(workerData.outputLock, workerData.owner);
openHostCalls();

function event(requestId, level, componentId, text) {
  return new FrameWriter(FrameType.Event, requestId).string(level).string(componentId).string(text).finish();
}

// Anything printed here would otherwise reach fd 1, which carries frames: it becomes a log event.
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => writeFrames(event(0, level, "", args.join(" ")));
}

function logFor(componentId) {
  return (level, text) => writeFrames(event(0, level, componentId, text));
}

const ring = new JobRing(workerData.ring);
const dataPort = workerData.dataPort;
let draining = false;
/** Set when the main thread condemned this worker for a deadline: it runs nothing more. */
let doomed = false;

// The main thread rings (an empty message) only when this worker went to sleep with an empty ring.
parentPort.on("message", () => {
  if (!draining) drain();
});

/** The next job, load or unload in the order they were sent, or null when the ring is empty. */
function next() {
  const entry = ring.take();
  if (!entry) return null;
  if (entry.kind === INVOKE) return { op: "invoke", id: entry.id, n: entry.n, payload: entry.payload };
  // A MESSAGE entry: its message was posted on the data port before the entry was written.
  return receiveMessageOnPort(dataPort).message;
}

async function drain() {
  draining = true;
  try {
    while (!doomed) {
      const msg = next();
      if (!msg) {
        // The batch's deferred answers leave together (see complete), then sleep unless more came.
        flushOutput();
        if (ring.sleep()) break;
        continue;
      }
      if (msg.op === "load") components.set(msg.componentId, { ...msg.component, instance: undefined });
      else if (msg.op === "unload") components.delete(msg.componentId);
      else if (revokedThrough === null || ((revokedThrough - msg.n) | 0) < 0) await run(msg);
    }
  } finally {
    draining = false;
  }
}

/** Marks the job's guest part over; false when the main thread has already condemned this worker. */
function finishGuest(running) {
  const state = Atomics.compareExchange(slot, STATE, running, RESPONDING);
  if (state === running) return true;
  if (state !== revoking(running) || Atomics.compareExchange(slot, STATE, state, RESPONDING) !== state) {
    // Terminating a worker takes a moment; the jobs queued here have been handed to others.
    doomed = true;
    return false;
  }
  // The main thread wrote FENCE before it flagged the state, so this read sees it.
  revokedThrough = Atomics.load(slot, FENCE);
  return true;
}

/**
 * Answers the job. While more jobs wait in the ring the answer may stay in the shared pending
 * area until the batch is done, so a batch costs one pipe write (lib/output.mjs); it is in shared
 * memory by now, so it goes out even if this worker is killed during a later job.
 */
function complete(...frames) {
  writeFrames(...frames, { defer: !ring.isEmpty() });
  Atomics.add(slot, COMPLETED, 1);
  Atomics.store(slot, STATE, IDLE);
}

async function run(job) {
  started[0] = Date.now();
  const running = Atomics.load(slot, COMPLETED) + 1;
  Atomics.store(slot, STATE, running);
  const id = job.id;
  if (job.op === "probe") {
    let frame;
    try {
      const nanos = probe(components.get(job.componentId), job.mode, job.iterations);
      frame = new FrameWriter(FrameType.Probed, id).u32(Math.floor(nanos / 2 ** 32)).u32(nanos >>> 0).finish();
    } catch (e) {
      frame = new FrameWriter(FrameType.Failed, id).u32(FailureCode.BadRequest).string(e?.message ?? String(e)).finish();
    }
    if (finishGuest(running)) complete(frame);
    return;
  }
  let componentId = "";
  let frames;
  try {
    const request = decodeInvoke(job.payload);
    componentId = request.componentId;
    const component = components.get(componentId);
    if (!component) throw new GuestFailure(FailureCode.NotLoaded, `component ${componentId} is not loaded`);
    const response = component.kind === 1
      ? runCgi(component, request, (line) => logFor(componentId)("stderr", line))
      : await runComponent(componentId, component, workerData.shimDir, request, logFor(componentId));
    frames = [encodeResponse(id, response.status, response.headers, response.body)];
  } catch (e) {
    const code = e instanceof GuestFailure ? e.code : FailureCode.Internal;
    const message = e?.message ?? String(e);
    const level = code === FailureCode.MemoryLimit ? "memory" : code === FailureCode.NotLoaded ? "warn" : "trap";
    // Event first: the host has logged the failure by the time the caller sees the 500.
    frames = [event(id, level, componentId, message), new FrameWriter(FrameType.Failed, id).u32(code).string(message).finish()];
  }
  if (finishGuest(running)) complete(...frames);
}
