// Portal.Host's wasm executor: a Node.js (V8) process owned by the host, speaking the binary
// frame protocol of lib/frames.mjs on stdin/stdout. Requests are pipelined: many invocations are
// in flight at once, matched by request id, spread over a pool of worker threads (plus one booted
// spare that replaces a worker killed for a deadline). stdout carries frames only; every
// diagnostic goes to stderr, which the host logs.
//
//   node sidecar.mjs [--workers N] [--cache-dir DIR]
import { MessageChannel, Worker } from "node:worker_threads";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FailureCode, FieldReader, FrameSplitter, FrameType, FrameWriter } from "./lib/frames.mjs";
import { createOutput, flushOutput, openOutput, releaseOutput, writeFrames } from "./lib/output.mjs";
import { INVOKE, JobRing, MESSAGE } from "./lib/job-ring.mjs";
import { exposeState } from "./lib/snapshot.mjs";
import { capMemory } from "./lib/wasm-limits.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const workerCount = Math.max(1, parseInt(option("--workers", "2"), 10));
const cacheDir = option("--cache-dir", join(tmpdir(), "portal-host-jco-cache"));

for (const level of ["log", "info", "debug"]) console[level] = (...a) => console.error(...a);

// ---------------------------------------------------------------- output
// Every thread writes its own frames to fd 1 through one shared pending area (lib/output.mjs);
// workers answer their requests directly.
const outputLock = createOutput();
const MAIN = 1;
openOutput(outputLock, MAIN);
function send(frame) {
  writeFrames(frame);
}
function sendEvent(requestId, level, componentId, text) {
  send(new FrameWriter(FrameType.Event, requestId).string(level).string(componentId).string(text).finish());
}
function sendFailed(requestId, code, message) {
  send(new FrameWriter(FrameType.Failed, requestId).u32(code).string(message).finish());
}

// ---------------------------------------------------------------- components
const CGI = 1;
const COMPONENT = 2;
/** componentId -> { kind, digest, timeoutMs, forWorkers } */
const components = new Map();
/** digest+cap -> compiled payload for workers, so a module is compiled once. */
const compiled = new Map();

function shimDir() {
  // jco installs the preview2-shim matching its own bindings; prefer that one.
  const nested = join(here, "node_modules", "@bytecodealliance", "jco", "node_modules", "@bytecodealliance", "preview2-shim");
  return existsSync(nested) ? nested : join(here, "node_modules", "@bytecodealliance", "preview2-shim");
}

// Hosts on one machine share the cache; a lock file per digest (holding the owner's pid) makes the
// second sidecar wait for the first one's transpile (15 s and more of CPU for a componentize-js
// component) instead of repeating it. A lock whose owner is gone (a sidecar killed mid-transpile), or
// older than STALE_LOCK_MS, is taken over.
const STALE_LOCK_MS = 10 * 60 * 1000;

async function staleLock(lockPath) {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, "utf8")]);
    if (Date.now() - info.mtimeMs > STALE_LOCK_MS) return true;
    const pid = parseInt(text, 10);
    if (!(pid > 0)) return Date.now() - info.mtimeMs > 5000; // written by now unless its owner died
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === "ESRCH"; // no such process: its owner is gone (a missing file is simply retried)
  }
}

async function transpiled(wasm, digest) {
  const dir = join(cacheDir, digest);
  const complete = () => existsSync(join(dir, "complete"));
  if (complete()) return dir;
  await mkdir(cacheDir, { recursive: true });
  const lockPath = join(cacheDir, `${digest}.lock`);
  let lock;
  while (!lock) {
    try {
      lock = await open(lockPath, "wx");
      await lock.writeFile(String(process.pid));
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      if (await staleLock(lockPath)) await rm(lockPath, { force: true });
      else await new Promise((r) => setTimeout(r, 250));
      if (complete()) return dir;
    }
  }
  try {
    if (!complete()) await transpileInto(wasm, dir);
  } finally {
    await lock.close();
    await rm(lockPath, { force: true });
  }
  return dir;
}

async function transpileInto(wasm, dir) {
  const { transpile } = await import("@bytecodealliance/jco");
  const { files } = await transpile(wasm, { name: "component", instantiation: "async", noTypescript: true, quiet: true });
  const staging = `${dir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith(".js") || name.endsWith(".wasm")) await writeFile(join(staging, name), bytes);
  }
  await writeFile(join(staging, "complete"), "");
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir).catch(async (e) => {
    // A sidecar that took over a stale lock may have won the race; its copy is as good as ours.
    if (!existsSync(join(dir, "complete"))) throw e;
    await rm(staging, { recursive: true, force: true });
  });
}

function compileKey(kind, digest, memoryCap) {
  return `${kind}:${digest}:${memoryCap}`;
}

/** Drops a compiled module once no loaded component uses it (hosts churn through versions). */
function forgetUnused(key) {
  for (const c of components.values()) if (c.key === key) return;
  compiled.delete(key);
}

async function compile(kind, wasm, memoryCap) {
  const digest = createHash("sha256").update(wasm).digest("hex");
  const key = compileKey(kind, digest, memoryCap);
  let entry = compiled.get(key);
  if (!entry) {
    entry = (async () => {
      if (kind === CGI) {
        const { wasm: capped, memory } = capMemory(wasm, memoryCap, { importMemory: true });
        // Instances are reused (snapshot restored per request) when the state is reachable.
        const exposed = memory ? exposeState(capped) : null;
        const reuse = exposed ? { globals: exposed.globals, table: exposed.table } : null;
        return { digest, payload: { kind, module: await WebAssembly.compile(exposed?.wasm ?? capped), memory, reuse } };
      }
      const dir = await transpiled(wasm, digest);
      const modules = {};
      for (const name of await readdir(dir)) {
        if (name.endsWith(".wasm")) modules[name] = await WebAssembly.compile(capMemory(await readFile(join(dir, name)), memoryCap).wasm);
      }
      return { digest, payload: { kind, jsUrl: pathToFileURL(join(dir, "component.js")).href, modules } };
    })();
    compiled.set(key, entry);
    entry.catch(() => compiled.delete(key));
  }
  return entry;
}

async function load(requestId, r) {
  const componentId = r.string();
  const kind = r.u32();
  const memoryCap = r.u32();
  const timeoutMs = r.u32();
  const flags = r.u32();
  const config = r.pairs();
  const wasm = r.bytes();
  if (kind !== CGI && kind !== COMPONENT) throw new Error(`unknown actor kind ${kind}`);
  const { digest, payload } = await compile(kind, wasm, memoryCap);
  // Config reaches the guest's environment only when the host granted it (flag bit 0).
  const env = flags & 1 ? config : [];
  const forWorkers = { ...payload, env, memoryCap };
  const previous = components.get(componentId);
  components.set(componentId, { kind, digest, timeoutMs, forWorkers, key: compileKey(kind, digest, memoryCap) });
  if (previous) forgetUnused(previous.key);
  // Jobs already handed out run against the component they were sent for: the load follows them.
  for (const w of [...pool, spare]) hand(w, { kind: MESSAGE, message: { op: "load", componentId, component: forWorkers } });
  flushJobs();
  send(new FrameWriter(FrameType.Loaded, requestId).string(digest).finish());
}

// ---------------------------------------------------------------- workers
// Each worker has a FIFO of jobs it was handed and a shared slot it updates itself (lib/worker.mjs):
// the state word is 0 (idle), the running job's 1-based sequence number, RESPONDING or KILLED; next
// to it the count of jobs it completed and the running job's start time. From these the main thread
// knows each worker's backlog and deadlines without a message per request. A new job goes to the
// worker with the shortest backlog; jobs that arrived together are posted to a worker together.
//
// Pipelining jobs into a worker's FIFO keeps it busy, but a job queued behind a slow or looping
// guest would wait for that guest's deadline. So once a running job is older than SLOW_MS, the
// jobs queued behind it are revoked and handed to another worker: the main thread writes FENCE (the
// count of jobs ever handed to that worker) and then flags the running state with REVOKING; the
// worker sees the flag when its guest finishes and skips every job numbered up to FENCE. Both
// sides switch on the one state word with compare-and-swap, so a job is either run by the slow
// worker or revoked, never both.
const RESPONDING = -1;
const KILLED = -2;
const STATE = 0;
const COMPLETED = 1;
const FENCE = 2;
const WATCH_MS = 10;
const SLOW_MS = 5;
/** Jobs a worker that keeps up may have queued before the next worker is woken (see dispatch). */
const PACK = 4;
const revoking = (running) => -running - 10;
/** The running job's sequence number from the state word (flagged or not), else 0. */
const runningOf = (state) => (state >= 1 ? state : state <= -10 ? -state - 10 : 0);
const pool = [];
/** A booted worker outside the pool that replaces the next one retired (it gets loads, never jobs). */
let spare = null;
let nextOwner = MAIN + 1;

/** Bytes of each worker's job ring (lib/job-ring.mjs). */
const RING_BYTES = 1024 * 1024;

function spawnWorker() {
  const shared = new SharedArrayBuffer(24);
  const ring = JobRing.create(RING_BYTES);
  const { port1, port2 } = new MessageChannel();
  const slot = {
    worker: null,
    owner: nextOwner++,
    state: new Int32Array(shared, 0, 4),
    started: new Float64Array(shared, 16, 1),
    jobs: [], // handed out, not revoked and not known to be completed, oldest first
    seen: 0, // jobs completed and dropped from `jobs`
    handed: 0, // jobs ever handed to this worker, revoked ones included (their `n` numbers)
    ring: new JobRing(ring),
    data: port1, // messages the ring's MESSAGE entries stand for
    overflow: [], // entries waiting for room in the ring, oldest first
  };
  const worker = new Worker(join(here, "lib", "worker.mjs"), {
    workerData: { shimDir: shimDir(), slot: shared, outputLock, owner: slot.owner, ring, dataPort: port2 },
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  slot.worker = worker;
  worker.stdout.on("data", (d) => process.stderr.write(d));
  worker.stderr.on("data", (d) => process.stderr.write(d));
  worker.on("message", (msg) => onWorkerMessage(slot, msg));
  worker.on("error", (e) => replaceWorker(slot, FailureCode.Trap, `worker crashed: ${e?.message ?? e}`));
  worker.on("exit", () => {
    if (!slot.retired) replaceWorker(slot, FailureCode.Internal, "worker exited");
  });
  for (const [componentId, c] of components) hand(slot, { kind: MESSAGE, message: { op: "load", componentId, component: c.forWorkers } });
  wake(slot);
  return slot;
}

/** Drops the jobs the worker has completed (and answered) from its FIFO. */
function settle(slot) {
  const completed = Atomics.load(slot.state, COMPLETED);
  if (completed > slot.seen) {
    slot.jobs.splice(0, completed - slot.seen);
    slot.seen = completed;
  }
}

/**
 * Retires a worker: `failed` (the job it was running, if any) answers 500, the jobs queued behind
 * it (never started: a worker runs its FIFO in order) go to the other workers.
 */
function replaceWorker(slot, code, message, failed) {
  if (slot.retired) return;
  slot.retired = true;
  settle(slot);
  const job = failed ?? slot.jobs[0];
  const rest = slot.jobs.filter((j) => j !== job);
  slot.jobs = [];
  // A worker that died inside a write must not keep the output locked (its frame may be cut short,
  // which only a crash of the worker thread itself can cause).
  releaseOutput(slot.owner);
  if (job) {
    // Event first: the host has logged the failure by the time the caller sees the 500.
    const level = code === FailureCode.Timeout ? "timeout" : "trap";
    send(Buffer.concat([
      new FrameWriter(FrameType.Event, job.id).string(level).string(job.componentId).string(message).finish(),
      new FrameWriter(FrameType.Failed, job.id).u32(code).string(message).finish(),
    ]));
  }
  // Answers it completed but left pending (a batch's deferred write) go out now.
  flushOutput();
  slot.worker.terminate().catch(() => {});
  const index = pool.indexOf(slot);
  if (index >= 0) {
    // The spare has booted and loaded every component meanwhile: it takes over at once, where a
    // fresh worker would leave the pool a worker short for its whole start-up.
    pool[index] = spare;
    spare = spawnWorker();
  } else if (slot === spare) {
    spare = spawnWorker();
  }
  for (const j of rest) {
    // Their payloads were transferred away; the copy kept for this case goes out again.
    dispatch(j);
  }
  flushJobs();
}

/**
 * Deadlines: a worker whose running job overran its component's time limit is terminated. Jobs
 * queued behind a job that runs long move to a worker that can start them now.
 */
function watch() {
  // Answers a worker deferred until its batch ends wait at most one tick behind a slow job.
  flushOutput();
  // Entries that found a ring full go in as its worker makes room.
  flushJobs();
  const now = Date.now();
  for (const slot of pool) {
    if (slot.retired) continue;
    const state = Atomics.load(slot.state, STATE);
    const running = runningOf(state);
    if (running < 1) continue;
    settle(slot);
    const position = running - 1 - slot.seen;
    const job = slot.jobs[position];
    if (!job) continue;
    if (slot.started[0] + job.timeoutMs <= now) {
      // Only a worker still running that very job is condemned; it can no longer answer it.
      if (Atomics.compareExchange(slot.state, STATE, state, KILLED) !== state) continue;
      replaceWorker(slot, FailureCode.Timeout, `exceeded the time limit of ${job.timeoutMs} ms`, job);
    } else if (state >= 1 && now - slot.started[0] > SLOW_MS && position + 1 < slot.jobs.length && pool.some((o) => o !== slot && ready(o, now))) {
      revokeQueued(slot, state, position);
    }
  }
}

/** A worker that has booted and is not stuck in a long job. */
function ready(slot, now) {
  if (slot.retired || !slot.answers) return false;
  return runningOf(Atomics.load(slot.state, STATE)) < 1 || now - slot.started[0] <= SLOW_MS;
}

/** Takes back the jobs queued behind the running one (see the comment above the slot layout). */
function revokeQueued(slot, state, position) {
  Atomics.store(slot.state, FENCE, slot.handed);
  if (Atomics.compareExchange(slot.state, STATE, state, revoking(state)) !== state) return; // it moved on: nothing revoked
  for (const job of slot.jobs.splice(position + 1)) dispatch(job);
  flushJobs();
}
setInterval(watch, WATCH_MS).unref();

function onWorkerMessage(slot, msg) {
  switch (msg.op) {
    case "host-calls":
      slot.answers = msg.port;
      slot.flag = msg.flag;
      return;
    case "host-call":
      sendHostCall(slot, msg);
      return;
  }
}

let flushQueued = false;

function dispatch(job) {
  const component = components.get(job.componentId);
  if (!component) {
    sendFailed(job.id, FailureCode.NotLoaded, `component ${job.componentId} is not loaded`);
    return;
  }
  job.timeoutMs = component.timeoutMs;
  // Packed, then by backlog: a job goes to the first worker that is keeping up (its backlog under
  // PACK and its current job younger than a millisecond), so under moderate load one worker runs
  // batches while the others sleep, which costs far fewer wake-ups than spreading jobs evenly
  // (S1 on two cores: 0.49x bare Kestrel spread, 0.51x packed). Past that, the shortest
  // backlog wins; a worker whose current job has run for a while (a slow or looping guest) counts
  // as far behind, so new jobs avoid queueing behind it while another worker can take them.
  const now = Date.now();
  let best = null;
  let bestLoad = Infinity;
  for (const slot of pool) {
    if (slot.retired) continue;
    settle(slot);
    // A worker still booting (it announces itself with "host-calls") would make a job wait for its
    // start-up, which on a busy machine can outlast another guest's whole time limit.
    const running = runningOf(Atomics.load(slot.state, STATE)) >= 1;
    const behind = !slot.answers || (running && now - slot.started[0] > SLOW_MS);
    const load = slot.jobs.length + (behind ? 1000 : 0);
    if (load < PACK && (!running || now - slot.started[0] <= 1)) {
      best = slot;
      break;
    }
    if (load < bestLoad) {
      best = slot;
      bestLoad = load;
    }
  }
  best.jobs.push(job);
  const n = (best.handed = (best.handed + 1) | 0);
  if (job.probe) {
    hand(best, { kind: MESSAGE, message: { op: "probe", id: job.id, n, componentId: job.componentId, ...job.probe } });
  } else if (job.payload.byteLength > best.ring.largest) {
    // A copy is transferred; the original stays here in case the worker dies before starting it
    // or the job is revoked.
    const payload = new Uint8Array(job.payload);
    hand(best, { kind: MESSAGE, message: { op: "invoke", id: job.id, n, payload }, transfer: [payload.buffer] });
  } else {
    // The raw Invoke payload, copied into the ring; the worker decodes it (off the main thread).
    hand(best, { kind: INVOKE, id: job.id, n, payload: job.payload });
  }
  if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushJobs);
  }
}

/** Puts an entry in the worker's ring (or behind the ones already waiting for room). */
function hand(slot, entry) {
  if (slot.overflow.length > 0 || !place(slot, entry)) slot.overflow.push(entry);
}

function place(slot, entry) {
  if (entry.kind === INVOKE) return slot.ring.push(INVOKE, entry.id, entry.n, entry.payload);
  return slot.ring.push(MESSAGE, 0, 0, null, () => slot.data.postMessage(entry.message, entry.transfer ?? []));
}

/** Moves waiting entries into the rings and wakes every worker that sleeps with work in its ring. */
function flushJobs() {
  flushQueued = false;
  for (const slot of pool) wake(slot);
  if (spare) wake(spare);
}

function wake(slot) {
  if (slot.retired) return;
  while (slot.overflow.length > 0 && place(slot, slot.overflow[0])) slot.overflow.shift();
  // A tiny message, and only to a worker that went to sleep: a busy one finds the entries itself.
  if (!slot.ring.isEmpty() && slot.ring.takeSleeper()) slot.worker.postMessage(0);
}

// ---------------------------------------------------------------- host calls
// A guest's synchronous import call (lib/host-call.mjs) travels to the host as a HostCall frame;
// the HostReturn frame with the same id goes back to the blocked worker.
let nextHostCall = 0;
/** host call id -> the worker slot waiting for it */
const hostCalls = new Map();

function sendHostCall(slot, msg) {
  const id = (nextHostCall = (nextHostCall + 1) >>> 0 || 1);
  hostCalls.set(id, slot);
  const w = new FrameWriter(FrameType.HostCall, id).string(msg.componentId).string(msg.iface).string(msg.fn).u32(msg.args.length);
  for (const arg of msg.args) w.bytes(arg);
  send(w.finish());
}

function onHostReturn(id, r) {
  const slot = hostCalls.get(id);
  hostCalls.delete(id);
  if (!slot || slot.retired) return; // the worker was replaced (deadline) while the host worked
  let answer;
  if (r.u32() === 0) {
    const count = r.u32();
    const values = [];
    for (let i = 0; i < count; i++) values.push(new Uint8Array(r.bytes()));
    answer = { values };
  } else {
    answer = { error: { tag: r.string(), message: r.string() } };
  }
  slot.answers.postMessage(answer);
  Atomics.store(slot.flag, 0, 1);
  Atomics.notify(slot.flag, 0);
}

// ---------------------------------------------------------------- input
function onFrame(type, id, payload) {
  if (type === FrameType.Invoke) {
    // Only the component id is read here (straight off the Buffer: this runs once per request on
    // the one thread every request crosses); the rest is the worker's to decode. The payload is a
    // view of the stdin chunk, which is never reused.
    const length = payload.readUInt32LE(0);
    if (4 + length > payload.length) throw new Error("field overruns frame");
    dispatch({ id, componentId: payload.toString("utf8", 4, 4 + length), payload });
    return;
  }
  const r = new FieldReader(payload);
  switch (type) {
    case FrameType.Load:
      load(id, r).catch((e) => sendFailed(id, FailureCode.LoadFailed, e?.message ?? String(e)));
      return;
    case FrameType.Unload: {
      const componentId = r.string();
      const previous = components.get(componentId);
      components.delete(componentId);
      if (previous) forgetUnused(previous.key);
      for (const w of [...pool, spare]) hand(w, { kind: MESSAGE, message: { op: "unload", componentId } });
      flushJobs();
      send(new FrameWriter(FrameType.Unloaded, id).finish());
      return;
    }
    case FrameType.Probe: {
      // Benchmark S2: time instance creation / a fresh request / a live call inside one worker.
      const componentId = r.string();
      dispatch({ id, componentId, probe: { mode: r.u32(), iterations: r.u32() } });
      return;
    }
    case FrameType.Ping:
      send(new FrameWriter(FrameType.Pong, id).u32(pool.length).finish());
      return;
    case FrameType.HostReturn:
      onHostReturn(id, r);
      return;
    default:
      sendFailed(id, FailureCode.BadRequest, `unknown frame type ${type}`);
  }
}

for (let i = 0; i < workerCount; i++) pool.push(spawnWorker());
spare = spawnWorker();
const splitter = new FrameSplitter((type, id, payload) => {
  try {
    onFrame(type, id, payload);
  } catch (e) {
    sendFailed(id, FailureCode.BadRequest, `malformed frame: ${e?.message ?? e}`);
  }
});
process.stdin.on("data", (chunk) => splitter.push(chunk));
// The host owns us: when it closes our stdin, we are done.
process.stdin.on("end", () => process.exit(0));
send(new FrameWriter(FrameType.Ready, 0).u32(1).u32(process.pid).finish());
