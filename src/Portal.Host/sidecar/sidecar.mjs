// Portal.Host's wasm executor: a Node.js (V8) process owned by the host, speaking the binary
// frame protocol of lib/frames.mjs on stdin/stdout. Requests are pipelined: many invocations are
// in flight at once, matched by request id, spread over a pool of worker threads. stdout carries
// frames only; every diagnostic goes to stderr, which the host logs.
//
//   node sidecar.mjs [--workers N] [--cache-dir DIR]
import { Worker } from "node:worker_threads";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { FailureCode, FieldReader, FrameSplitter, FrameType, FrameWriter } from "./lib/frames.mjs";
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

// ---------------------------------------------------------------- output: the single writer
// Frames produced in one turn of the event loop (typically several workers' answers) leave in one
// writev: a write per frame cost the main thread a syscall each, and the main thread is the stage
// every request passes through.
let corked = false;
function send(frame) {
  if (!corked) {
    corked = true;
    process.stdout.cork();
    setImmediate(uncork);
  }
  process.stdout.write(frame);
}
function uncork() {
  corked = false;
  process.stdout.uncork();
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
        const { wasm: rewritten, memory } = capMemory(wasm, memoryCap, { importMemory: true });
        return { digest, payload: { kind, module: await WebAssembly.compile(rewritten), memory } };
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
  for (const w of pool) w.worker.postMessage({ op: "load", componentId, component: forWorkers });
  send(new FrameWriter(FrameType.Loaded, requestId).string(digest).finish());
}

// ---------------------------------------------------------------- workers
const pool = [];
const queue = [];

function spawnWorker() {
  const slot = { worker: null, job: null, timer: null };
  const worker = new Worker(join(here, "lib", "worker.mjs"), {
    workerData: { shimDir: shimDir() },
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
  for (const [componentId, c] of components) worker.postMessage({ op: "load", componentId, component: c.forWorkers });
  return slot;
}

function replaceWorker(slot, code, message) {
  if (slot.retired) return;
  slot.retired = true;
  clearTimeout(slot.timer);
  const job = slot.job;
  slot.job = null;
  if (job) {
    // Event first: the host has logged the failure by the time the caller sees the 500.
    sendEvent(job.id, code === FailureCode.Timeout ? "timeout" : "trap", job.componentId, message);
    sendFailed(job.id, code, message);
  }
  slot.worker.terminate().catch(() => {});
  const index = pool.indexOf(slot);
  if (index >= 0) pool[index] = spawnWorker();
  pump();
}

function onWorkerMessage(slot, msg) {
  switch (msg.op) {
    case "log":
      sendEvent(0, msg.level, msg.componentId, msg.text);
      return;
    case "guest-log":
      send(new FrameWriter(FrameType.GuestLog, 0).string(msg.componentId).string(msg.level).string(msg.context).string(msg.message).finish());
      return;
    case "host-calls":
      slot.answers = msg.port;
      slot.flag = msg.flag;
      return;
    case "host-call":
      sendHostCall(slot, msg);
      return;
  }
  const job = slot.job;
  if (!job || job.id !== msg.job) return;
  clearTimeout(slot.timer);
  slot.job = null;
  if (msg.op === "frame") {
    send(msg.frame); // the Response frame, encoded by the worker
  } else if (msg.op === "probed") {
    send(new FrameWriter(FrameType.Probed, job.id).u32(Math.floor(msg.nanos / 2 ** 32)).u32(msg.nanos >>> 0).finish());
  } else {
    const level = msg.code === FailureCode.MemoryLimit ? "memory" : msg.code === FailureCode.NotLoaded ? "warn" : "trap";
    sendEvent(job.id, level, job.componentId, msg.message);
    sendFailed(job.id, msg.code, msg.message);
  }
  pump();
}

function pump() {
  while (queue.length > 0) {
    const slot = pool.find((s) => !s.job && !s.retired);
    if (!slot) return;
    const job = queue.shift();
    const component = components.get(job.componentId);
    if (!component) {
      sendFailed(job.id, FailureCode.NotLoaded, `component ${job.componentId} is not loaded`);
      continue;
    }
    slot.job = job;
    slot.timer = setTimeout(
      () => replaceWorker(slot, FailureCode.Timeout, `exceeded the time limit of ${component.timeoutMs} ms`),
      component.timeoutMs,
    );
    if (job.probe) {
      slot.worker.postMessage({ op: "probe", job: job.id, componentId: job.componentId, ...job.probe });
      continue;
    }
    // The raw Invoke payload, transferred: the worker decodes it (cheaper than cloning an object
    // graph of strings, and off the main thread).
    slot.worker.postMessage({ op: "invoke", job: job.id, payload: job.payload }, [job.payload.buffer]);
  }
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
  const r = new FieldReader(payload);
  switch (type) {
    case FrameType.Invoke: {
      const componentId = r.string(); // the rest is the worker's to decode
      queue.push({ id, componentId, payload: new Uint8Array(payload) }); // own buffer, to transfer
      pump();
      return;
    }
    case FrameType.Load:
      load(id, r).catch((e) => sendFailed(id, FailureCode.LoadFailed, e?.message ?? String(e)));
      return;
    case FrameType.Unload: {
      const componentId = r.string();
      const previous = components.get(componentId);
      components.delete(componentId);
      if (previous) forgetUnused(previous.key);
      for (const w of pool) w.worker.postMessage({ op: "unload", componentId });
      send(new FrameWriter(FrameType.Unloaded, id).finish());
      return;
    }
    case FrameType.Probe: {
      // Benchmark S2: time instance creation / a fresh request / a live call inside one worker.
      const componentId = r.string();
      queue.push({ id, componentId, probe: { mode: r.u32(), iterations: r.u32() } });
      pump();
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
