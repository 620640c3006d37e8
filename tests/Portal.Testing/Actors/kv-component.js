// Test actor: a wasi:http component that keeps its state in the host's key-value store and logs
// through wasi:logging. Routes (the store is opened with the x-store header, "" when absent):
//   POST /incr/{key}  atomics.increment by 1 (or the x-delta header) -> "count={n}"
//   PUT  /value/{key} store.set with the body            -> "stored"
//   GET  /value/{key} store.get                           -> the value, or 404
//   DELETE /value/{key}                                   -> "deleted"
//   GET  /exists/{key}                                    -> "true" / "false"
//   GET  /keys                                            -> the keys, one a line, sorted
//   POST /log                                             -> logs the body at every level
// A store error answers 500 with its variant ("error: no-such-store", "error: other: ...").
// world-include: wasi:keyvalue/imports@0.2.0-draft wasi:logging/imports@0.1.0-draft
import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from "wasi:http/types@0.2.12";
import { open } from "wasi:keyvalue/store@0.2.0-draft";
import { increment } from "wasi:keyvalue/atomics@0.2.0-draft";
import { log } from "wasi:logging/logging@0.1.0-draft";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readBody(request) {
  const stream = request.consume().stream();
  const chunks = [];
  for (;;) {
    try {
      chunks.push(stream.blockingRead(65536n));
    } catch (e) {
      if ((e?.payload ?? e)?.tag === "closed") break;
      throw e;
    }
  }
  stream[Symbol.dispose]?.();
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.length;
  }
  return all;
}

function header(request, name) {
  const values = request.headers().get(name);
  return values.length > 0 ? decoder.decode(values[0]) : undefined;
}

function respond(responseOut, status, body) {
  const response = new OutgoingResponse(Fields.fromList([["content-type", encoder.encode("text/plain")]]));
  response.setStatusCode(status);
  const outgoing = response.body();
  ResponseOutparam.set(responseOut, { tag: "ok", val: response });
  const out = outgoing.write();
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  if (bytes.length > 0) out.blockingWriteAndFlush(bytes);
  out[Symbol.dispose]?.();
  OutgoingBody.finish(outgoing, undefined);
}

function describe(e) {
  const error = e?.payload ?? e;
  if (error?.tag) return `error: ${error.tag}${error.val !== undefined ? `: ${error.val}` : ""}`;
  return `error: ${e?.message ?? String(e)}`;
}

function handle(request) {
  const method = request.method().tag;
  const path = request.pathWithQuery().split("?")[0];
  const [, route, ...rest] = path.split("/");
  const key = decodeURIComponent(rest.join("/"));
  if (route === "log") {
    const text = decoder.decode(readBody(request));
    for (const level of ["trace", "debug", "info", "warn", "error", "critical"]) log(level, "kv-test", `${level}: ${text}`);
    return [200, "logged"];
  }
  const bucket = open(header(request, "x-store") ?? "");
  switch (`${method} ${route}`) {
    case "post incr":
      return [200, `count=${increment(bucket, key, BigInt(header(request, "x-delta") ?? "1"))}`];
    case "put value":
      bucket.set(key, readBody(request));
      return [200, "stored"];
    case "get value": {
      const value = bucket.get(key);
      return value === undefined ? [404, "no such key"] : [200, value];
    }
    case "delete value":
      bucket.delete(key);
      return [200, "deleted"];
    case "get exists":
      return [200, String(bucket.exists(key))];
    case "get keys":
      return [200, bucket.listKeys(undefined).keys.sort().join("\n")];
    default:
      return [404, `no route ${method} ${path}`];
  }
}

export const incomingHandler = {
  handle(request, responseOut) {
    let status;
    let body;
    try {
      [status, body] = handle(request);
    } catch (e) {
      [status, body] = [500, describe(e)];
    }
    respond(responseOut, status, body);
  },
};
