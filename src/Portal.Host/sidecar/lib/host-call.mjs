// Synchronous calls from a guest (inside a worker thread) to the C# host. Component imports such as
// wasi:keyvalue are synchronous for the guest, but the answer lives across two hops (worker ->
// sidecar main thread -> host over stdio). Node 20 has no JSPI to suspend wasm, so the worker
// blocks: it posts the call, sleeps on a shared flag with Atomics.wait, and once the main thread
// has put the answer on a private MessagePort and raised the flag, it takes the answer off the port
// with receiveMessageOnPort. A job that overruns its deadline is terminated by the main thread as
// usual; termination interrupts Atomics.wait.
import { MessageChannel, parentPort, receiveMessageOnPort } from "node:worker_threads";

let channel;

/** Called once when the worker starts: hands the main thread its end of the answer channel. */
export function openHostCalls() {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  parentPort.postMessage({ op: "host-calls", port: port2, flag }, [port2]);
  channel = { port: port1, flag };
}

/** Thrown (with a WIT error variant as `payload`) when the host answered with an error. */
export class HostCallError extends Error {
  constructor(tag, message) {
    super(message ? `${tag}: ${message}` : tag);
    this.payload = tag === "other" ? { tag, val: message } : { tag };
  }
}

/**
 * Calls `iface`.`fn` on the host for `componentId` with byte-string arguments (strings are sent as
 * UTF-8). Returns the list of byte-string results; throws HostCallError for an error answer.
 */
export function callHost(componentId, iface, fn, args) {
  const { port, flag } = channel;
  Atomics.store(flag, 0, 0);
  parentPort.postMessage({ op: "host-call", componentId, iface, fn, args: args.map(toBytes) });
  Atomics.wait(flag, 0, 0);
  const answer = receiveMessageOnPort(port)?.message;
  if (!answer) throw new HostCallError("other", "the host call was not answered");
  if (answer.error) throw new HostCallError(answer.error.tag, answer.error.message);
  return answer.values;
}

const encoder = new TextEncoder();

function toBytes(arg) {
  return typeof arg === "string" ? encoder.encode(arg) : arg;
}
