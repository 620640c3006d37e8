// Test actor: a wasi:http component (JS, componentize-js) that fails on demand, for the host's
// isolation tests: /throw throws inside the handler, /loop never returns, /grow asks for far more
// memory than the host's cap; anything else answers 200 "still here".
import { Fields, OutgoingBody, OutgoingResponse, ResponseOutparam } from "wasi:http/types@0.2.12";

const encoder = new TextEncoder();
let keep;

export const incomingHandler = {
  handle(request, responseOut) {
    const path = request.pathWithQuery();
    if (path === "/throw") throw new Error("thrown on purpose");
    if (path === "/loop") for (;;) {}
    if (path === "/grow") {
      keep = [];
      for (let i = 0; i < 64; i++) keep.push(new Uint8Array(16 * 1024 * 1024).fill(i));
    }
    const response = new OutgoingResponse(Fields.fromList([["content-type", encoder.encode("text/plain")]]));
    response.setStatusCode(200);
    const body = response.body();
    ResponseOutparam.set(responseOut, { tag: "ok", val: response });
    const out = body.write();
    out.blockingWriteAndFlush(encoder.encode(`still here ${keep ? keep.length : 0}`));
    out[Symbol.dispose]?.();
    OutgoingBody.finish(body, undefined);
  },
};
