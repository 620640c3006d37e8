// WAGI: a WASI preview1 command module as a CGI (RFC 3875) handler. Request line and headers go
// into environment variables, the body into stdin; the module's stdout is a CGI response.
// Runs inside a worker thread; every request sees a fresh instance of the cached module (a new one,
// or the worker's live one restored to its just-created state).
import { ConsoleStdout, File, OpenFile, WASI, WASIProcExit } from "@bjorn3/browser_wasi_shim";
import { restore, takeSnapshot } from "./snapshot.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Header names repeat from request to request: their HTTP_* variable names are worked out once.
const variableNames = new Map();
const VARIABLE_NAMES_LIMIT = 1024;

function httpVariable(header) {
  let name = variableNames.get(header);
  if (name === undefined) {
    name = "HTTP_" + header.toUpperCase().replace(/-/g, "_");
    if (variableNames.size < VARIABLE_NAMES_LIMIT) variableNames.set(header, name);
  }
  return name;
}

/** RFC 3875 meta-variables for one request. Config joins only when the component was granted it. */
export function cgiEnvironment(request, config) {
  const q = request.pathAndQuery.indexOf("?");
  const rawPath = q < 0 ? request.pathAndQuery : request.pathAndQuery.slice(0, q);
  const query = q < 0 ? "" : request.pathAndQuery.slice(q + 1);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape stays as sent; X_RAW_PATH_INFO carries the raw form anyway.
  }
  const env = new Map();
  for (const [key, value] of config) env.set(key, value);
  let host = "localhost";
  let contentType = "";
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === "content-length") continue; // CONTENT_LENGTH comes from the body we hold.
    if (lower === "content-type") {
      contentType = value;
      continue;
    }
    if (lower === "host") host = value;
    const key = httpVariable(name);
    env.set(key, env.has(key) ? `${env.get(key)}, ${value}` : value);
  }
  const colon = host.lastIndexOf(":");
  const bracket = host.lastIndexOf("]");
  const hasPort = colon > 0 && colon > bracket;
  env.set("GATEWAY_INTERFACE", "CGI/1.1");
  env.set("SERVER_PROTOCOL", "HTTP/1.1");
  env.set("SERVER_SOFTWARE", "portal-host");
  env.set("SERVER_NAME", hasPort ? host.slice(0, colon) : host);
  env.set("SERVER_PORT", hasPort ? host.slice(colon + 1) : "80");
  env.set("REQUEST_METHOD", request.method);
  env.set("SCRIPT_NAME", "");
  env.set("PATH_INFO", path);
  env.set("X_RAW_PATH_INFO", rawPath);
  env.set("QUERY_STRING", query);
  env.set("CONTENT_TYPE", contentType);
  env.set("CONTENT_LENGTH", String(request.body.byteLength));
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function findHeaderEnd(out) {
  for (let i = 0; i < out.length - 1; i++) {
    if (out[i] !== 0x0a) continue;
    if (out[i + 1] === 0x0a) return { end: i, body: i + 2 };
    if (out[i + 1] === 0x0d && out[i + 2] === 0x0a) return { end: i, body: i + 3 };
  }
  return null;
}

/** Parses a CGI response (headers, blank line, body). Returns null when it is not one. */
export function parseCgiResponse(out) {
  const split = findHeaderEnd(out);
  if (!split) return null;
  const lines = decoder.decode(out.subarray(0, split.end)).split(/\r?\n/);
  let status = 0;
  const headers = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      status = parseInt(value, 10);
      if (!(status >= 100 && status <= 999)) return null;
    } else {
      headers.push([name, value]);
    }
  }
  // RFC 3875 6.2.3: a Location without Status is a redirect.
  if (status === 0) status = headers.some(([n]) => n.toLowerCase() === "location") ? 302 : 200;
  return { status, headers, body: out.slice(split.body) };
}

/** Collects stdout writes without the quadratic regrowth an in-memory File would do. */
class Collector {
  constructor() {
    this.chunks = [];
    this.length = 0;
  }
  write(data) {
    this.chunks.push(data);
    this.length += data.byteLength;
  }
  bytes() {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}

// A failed instance whose memory ended this close to the cap most likely died because a grow was
// refused (memory.grow past the cap returns -1; the guest then aborts or traps).
const NEAR_CAP = 2 * 1024 * 1024;

function nearCap(instance, cap) {
  const memory = instance?.exports?.memory;
  return memory instanceof WebAssembly.Memory && memory.buffer.byteLength + NEAR_CAP > cap;
}

export class GuestFailure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const PAGE = 65536;
const POOL_LIMIT = 4;

/**
 * A fresh instance of the component's module. When the module's memory was turned into an import
 * at load (wasm-limits.mjs), it gets a memory from this worker's pool: V8 reserves a large guarded
 * region for every new memory, which is most of what a fresh instance costs.
 */
export function instantiate(component, wasiImport) {
  let memory = null;
  const imports = { wasi_snapshot_preview1: wasiImport };
  if (component.memory) {
    component.pool ??= [];
    memory = component.pool.pop() ??
      new WebAssembly.Memory({ initial: component.memory.minPages, maximum: component.memory.maxPages });
    imports.portal = { memory };
  }
  return { instance: new WebAssembly.Instance(component.module, imports), memory };
}

/** Returns a memory to the pool wiped, so nothing of one request is visible to the next. */
export function release(component, memory) {
  if (!memory) return;
  // A memory that grew is dropped: the next instance must start with exactly its declared size.
  if (memory.buffer.byteLength !== component.memory.minPages * PAGE || component.pool.length >= POOL_LIMIT) return;
  new Uint8Array(memory.buffer).fill(0);
  component.pool.push(memory);
}

/**
 * The component's WASI imports in this worker, made once. browser_wasi_shim's import functions
 * read args, environment and descriptors from the WASI object when called, so each request sets
 * its own on the shared object; and handing V8 the same import functions every time makes a
 * fresh instance much cheaper than binding a new set of ~45 closures per request (measured: about
 * 2.5x fewer microseconds per request for a small module). Requests in a worker run one at a time.
 */
export function wasiFor(component) {
  return (component.wasi ??= new WASI(["actor"], [], [], { debug: false }));
}

/**
 * The worker's live instance of the component with the state of a fresh one: the snapshot taken
 * after it was created is put back (snapshot.mjs). When that cannot be done (the memory or table
 * grew), a new instance is made and snapshotted instead.
 */
function liveInstance(component, wasiImport) {
  if (component.live && restore(component.live)) return component.live;
  component.live = null;
  const { instance, memory } = instantiate(component, wasiImport);
  component.live = takeSnapshot(instance, memory, component.reuse);
  return component.live;
}

/**
 * One request, with the semantics of a fresh instance of the module (a restored live instance
 * when the module allows it). Throws GuestFailure on any failure.
 */
export function runCgi(component, request, onStderrLine) {
  const stdout = new Collector();
  const stderr = ConsoleStdout.lineBuffered(onStderrLine);
  const wasi = wasiFor(component);
  // No preopened directories, no sockets, no host environment: only what cgiEnvironment builds.
  wasi.args = ["actor"];
  wasi.env = cgiEnvironment(request, component.env);
  wasi.fds = [new OpenFile(new File(request.body, { readonly: true })), new ConsoleStdout((d) => stdout.write(d)), stderr];
  let instance;
  let memory = null;
  let exitCode;
  let live = null;
  try {
    if (component.reuse) {
      live = liveInstance(component, wasi.wasiImport);
      instance = live.instance;
    } else {
      ({ instance, memory } = instantiate(component, wasi.wasiImport));
    }
    exitCode = wasi.start(instance);
  } catch (e) {
    // A trap may have left the instance anywhere (a half-done grow, a table write): never reuse it.
    if (live) component.live = null;
    const atCap = nearCap(instance, component.memoryCap);
    if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
      throw new GuestFailure(atCap ? 3 : 1, `${atCap ? "memory limit reached; " : ""}trap: ${e.message}`);
    }
    throw new GuestFailure(1, `guest failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    release(component, memory);
    // Nothing of this request stays reachable from the shared object.
    wasi.env = [];
    wasi.fds = [];
    wasi.inst = undefined;
  }
  if (exitCode !== 0) {
    const atCap = nearCap(instance, component.memoryCap);
    throw new GuestFailure(atCap ? 3 : 1, `${atCap ? "memory limit reached; " : ""}exited with code ${exitCode}`);
  }
  const response = parseCgiResponse(stdout.bytes());
  if (!response) throw new GuestFailure(7, "output is not a CGI response (headers, blank line, body)");
  return response;
}

export { encoder, WASIProcExit };
