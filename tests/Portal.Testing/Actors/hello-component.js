// Test actor: a wasi:http/incoming-handler component written in JS (built with componentize-js).
// It answers 202 with the method, path+query, the x-test header and the body length so tests can
// check every part of the host's request/response bridge.
import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from "wasi:http/types@0.2.12";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readAll(incomingBody) {
  const stream = incomingBody.stream();
  const chunks = [];
  let total = 0;
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(65536n);
    } catch (e) {
      // Errors from imports arrive wrapped (ComponentError with a payload) in StarlingMonkey.
      if ((e?.payload ?? e)?.tag === "closed") break;
      throw e;
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  stream[Symbol.dispose]?.();
  return total;
}

export const incomingHandler = {
  handle(request, responseOut) {
    const method = request.method();
    const headers = request.headers();
    const test = headers.get("x-test").map((v) => decoder.decode(v)).join(",");
    const length = readAll(request.consume());
    const text = `hello from js: ${method.tag === "other" ? method.val : method.tag.toUpperCase()} ` +
      `${request.pathWithQuery()} x-test=${test} body=${length}`;

    const response = new OutgoingResponse(Fields.fromList([
      ["content-type", encoder.encode("text/plain")],
      ["x-actor", encoder.encode("js")],
    ]));
    response.setStatusCode(202);
    const body = response.body();
    ResponseOutparam.set(responseOut, { tag: "ok", val: response });
    const out = body.write();
    const bytes = encoder.encode(text);
    for (let offset = 0; offset < bytes.length; offset += 4096) {
      out.blockingWriteAndFlush(bytes.subarray(offset, offset + 4096));
    }
    out[Symbol.dispose]?.();
    OutgoingBody.finish(body, undefined);
  },
};
