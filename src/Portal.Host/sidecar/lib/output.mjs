// The sidecar's stdout carries frames, and every thread writes its own: a worker writes the
// answer (and any event before it) to its request itself, so a request costs the main thread only
// its dispatch. Routing answers through the main thread cost a message (a thread wake-up) and a
// pipe write there per request, and the main thread is the one stage every request shares.
//
// Writers take a lock in shared memory for a whole batch of frames, so frames never interleave,
// and write with blocking writeSync calls (looping over partial writes). The main thread never
// touches process.stdout: Node would then switch the pipe to non-blocking mode for its own
// asynchronous writes, which would race with these.
import { writeSync } from "node:fs";

let lock = null;
let owner = 0;
const nap = new Int32Array(new SharedArrayBuffer(4));

/** `sab`: the shared lock word (one Int32); `id`: this thread's non-zero owner tag. */
export function openOutput(sab, id) {
  lock = new Int32Array(sab);
  owner = id;
}

/** Lock holder (0 = free), so a crashed worker's lock can be released by the main thread. */
export function outputOwner() {
  return Atomics.load(lock, 0);
}

export function releaseOutput(id) {
  if (Atomics.compareExchange(lock, 0, id, 0) === id) Atomics.notify(lock, 0);
}

/** Writes whole frames (Uint8Arrays) to fd 1, atomically with respect to the other threads. */
export function writeFrames(...frames) {
  for (;;) {
    const holder = Atomics.compareExchange(lock, 0, 0, owner);
    if (holder === 0) break;
    Atomics.wait(lock, 0, holder, 5);
  }
  try {
    for (const frame of frames) {
      let at = 0;
      while (at < frame.byteLength) {
        try {
          at += writeSync(1, frame, at, frame.byteLength - at);
        } catch (e) {
          if (e.code !== "EAGAIN") throw e;
          Atomics.wait(nap, 0, 0, 1); // the host reads continuously; a full pipe drains soon
        }
      }
    }
  } finally {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  }
}
