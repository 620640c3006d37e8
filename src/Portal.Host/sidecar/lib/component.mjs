// wasi:http/incoming-handler components, run inside a worker thread. The component was transpiled
// by jco (instantiation "async", so it imports nothing by itself); we hand it WASI imports taken
// from preview2-shim's in-memory (browser) build, which needs no I/O worker thread, and override
// what an actor must not have: environment (only granted config), preopens (none), outgoing HTTP.
// The host's own capabilities come on top: wasi:keyvalue (host calls) and wasi:logging.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { FrameType, FrameWriter } from "./frames.mjs";
import { writeFrames } from "./output.mjs";
import { GuestFailure } from "./cgi.mjs";
import { keyvalueImports } from "./keyvalue.mjs";

let shim;
let shimHttp;

async function loadShim(shimDir) {
  if (!shim) {
    const base = join(shimDir, "dist", "browser");
    shim = await import(pathToFileURL(join(base, "index.js")).href);
    shimHttp = await import(pathToFileURL(join(base, "http.js")).href);
  }
  return shim;
}

function camel(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function buildImports(componentId, component, log) {
  const imports = {};
  const lineSink = (level) => {
    let pending = "";
    const decoder = new TextDecoder();
    return {
      write(bytes) {
        pending += decoder.decode(bytes, { stream: true });
        const lines = pending.split("\n");
        pending = lines.pop();
        for (const line of lines) log(level, line);
      },
      flush() {
        if (pending) log(level, pending);
        pending = "";
      },
      blockingFlush() {
        this.flush();
      },
    };
  };
  shim.cli._setStdout(lineSink("stdout"));
  shim.cli._setStderr(lineSink("stderr"));
  const env = [...component.env];
  const keyvalue = keyvalueImports(componentId);
  const overrides = {
    "wasi:keyvalue/store": keyvalue.store,
    "wasi:keyvalue/atomics": keyvalue.atomics,
    "wasi:logging/logging": {
      log(level, context, message) {
        // Fire and forget: the host writes it to its structured log with the component id.
        // Written from here, like the answer, so it reaches the host before the answer does.
        writeFrames(new FrameWriter(FrameType.GuestLog, 0).string(componentId).string(level).string(context).string(message).finish());
      },
    },
    "wasi:cli/environment": {
      getEnvironment: () => env,
      getArguments: () => [],
      initialCwd: () => undefined,
    },
    "wasi:filesystem/preopens": { getDirectories: () => [] },
    "wasi:http/outgoing-handler": {
      handle() {
        // Outgoing HTTP is a capability the host does not grant (no sockets for actors).
        throw { tag: "HTTP-request-denied" };
      },
    },
  };
  return new Proxy(imports, {
    get(_, key) {
      if (typeof key !== "string") return undefined;
      if (overrides[key]) return overrides[key];
      const m = /^wasi:([a-z-]+)\/([a-z-]+)/.exec(key);
      const pkg = m && shim[m[1]];
      return pkg ? pkg[camel(m[2])] : undefined;
    },
  });
}

/** Instantiates the component once per worker; the live instance serves later requests too. */
export async function ensureInstance(componentId, component, shimDir, log) {
  if (component.instance) return component.instance;
  await loadShim(shimDir);
  const { instantiate } = await import(component.jsUrl);
  const imports = buildImports(componentId, component, log);
  const exports = await instantiate((name) => component.modules[name], imports);
  const handler = exports.incomingHandler ?? exports["wasi:http/incoming-handler@0.2.12"];
  if (!handler?.handle) throw new GuestFailure(8, "component does not export wasi:http/incoming-handler");
  component.instance = handler;
  return handler;
}

export async function runComponent(componentId, component, shimDir, request, log) {
  let handler;
  try {
    handler = await ensureInstance(componentId, component, shimDir, log);
  } catch (e) {
    if (e instanceof GuestFailure) throw e;
    throw new GuestFailure(8, `instantiation failed: ${e?.message ?? e}`);
  }
  const hostHeader = request.headers.find(([n]) => n.toLowerCase() === "host")?.[1] ?? "localhost";
  const method = request.method.toUpperCase();
  const webRequest = new Request(`http://${hostHeader}${request.pathAndQuery}`, {
    method,
    headers: request.headers.filter(([n]) => n.toLowerCase() !== "host"),
    body: method === "GET" || method === "HEAD" ? undefined : request.body,
  });
  let response;
  try {
    response = await shimHttp.handleIncomingRequest(webRequest, (req, out) => handler.handle(req, out));
  } catch (e) {
    // A trap poisons the instance: the next request gets a fresh one.
    component.instance = undefined;
    const trap = e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
    throw new GuestFailure(1, `${trap ? "trap" : "handler failed"}: ${e?.message ?? JSON.stringify(e)}`);
  }
  const headers = [];
  response.headers.forEach((value, name) => headers.push([name, value]));
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers, body };
}
