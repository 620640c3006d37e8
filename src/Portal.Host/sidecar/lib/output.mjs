// The sidecar's stdout carries frames, and every thread writes its own: a worker writes the
// answer (and any event before it) to its request itself, so a request costs the main thread only
// its dispatch. Routing answers through the main thread cost a message (a thread wake-up) and a
// pipe write there per request, and the main thread is the one stage every request shares.
//
// A pipe write is the dearest thing a request does here (measured: most of a worker's time went
// into write calls, and into waiting for another thread's), so threads do not write each frame
// themselves. They append it to one pending area in shared memory, and whichever thread holds the
// write turn writes everything pending in one call; a thread that finds the turn taken just leaves,
// and the holder takes its frames along (it looks again after giving the turn up). A worker with
// more jobs waiting defers even that until its batch is done (`{ defer: true }`), so a batch of
// answers leaves in one write. Frames in the pending area are safe from their thread's death: the
// main thread flushes after retiring a worker and on every deadline tick.
//
// Large frames skip the area: their thread takes the write turn (waiting for it), writes what is
// pending, then its own frames. Writes are blocking writeSync calls, looping over partial writes.
// The main thread never touches process.stdout: Node would then switch the pipe to non-blocking
// mode for its own asynchronous writes, which would race with these.
import { writeSync } from "node:fs";

const APPEND = 0; // lock word for the pending area (owner tag, 0 = free)
const TURN = 1; // the write turn (owner tag, 0 = free)
const LENGTH = 2; // bytes pending
const DATA = 16;
/** Bytes the pending area holds (frames larger than a quarter of it are written directly). */
export const PENDING_BYTES = 256 * 1024;

let words = null;
let data = null;
let owner = 0;
const nap = new Int32Array(new SharedArrayBuffer(4));

/** The shared memory every thread's output goes through (pass it to `openOutput` in each thread). */
export function createOutput() {
  return new SharedArrayBuffer(DATA + PENDING_BYTES);
}

/** `sab`: from `createOutput`; `id`: this thread's non-zero owner tag. */
export function openOutput(sab, id) {
  words = new Int32Array(sab, 0, 4);
  data = new Uint8Array(sab, DATA);
  owner = id;
}

/** Releases the locks a dead thread held (a worker that crashed cannot release them itself). */
export function releaseOutput(id) {
  for (const word of [APPEND, TURN]) {
    if (Atomics.compareExchange(words, word, id, 0) === id) Atomics.notify(words, word);
  }
}

function lock(word) {
  for (;;) {
    const holder = Atomics.compareExchange(words, word, 0, owner);
    if (holder === 0) return;
    Atomics.wait(words, word, holder, 5);
  }
}

function unlock(word) {
  Atomics.store(words, word, 0);
  Atomics.notify(words, word, 1);
}

function writeAll(bytes) {
  let at = 0;
  while (at < bytes.byteLength) {
    try {
      at += writeSync(1, bytes, at, bytes.byteLength - at);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
      Atomics.wait(nap, 0, 0, 1); // the host reads continuously; a full pipe drains soon
    }
  }
}

/** Holding the turn: writes what is pending until nothing is (a copy, so appends go on meanwhile). */
function writePending() {
  for (;;) {
    lock(APPEND);
    const length = Atomics.load(words, LENGTH);
    const bytes = length > 0 ? Buffer.from(data.subarray(0, length)) : null;
    Atomics.store(words, LENGTH, 0);
    unlock(APPEND);
    if (!bytes) return;
    writeAll(bytes);
  }
}

/** Writes what is pending unless another thread holds the turn (it will write it). */
export function flushOutput() {
  while (Atomics.load(words, LENGTH) > 0 && Atomics.compareExchange(words, TURN, 0, owner) === 0) {
    try {
      writePending();
    } finally {
      unlock(TURN);
    }
  }
}

/** Appends whole frames to the pending area; false when they do not fit now. */
function append(frames, total) {
  lock(APPEND);
  try {
    let at = Atomics.load(words, LENGTH);
    if (at + total > PENDING_BYTES) return false;
    for (const frame of frames) {
      data.set(frame, at);
      at += frame.byteLength;
    }
    Atomics.store(words, LENGTH, at);
    return true;
  } finally {
    unlock(APPEND);
  }
}

/**
 * Writes whole frames (Uint8Arrays) to fd 1, never interleaved with another thread's. With
 * `{ defer: true }` as the last argument they may wait in the pending area for this thread's next
 * `flushOutput` (or another thread's write).
 */
export function writeFrames(...frames) {
  let defer = false;
  if (frames.length > 0 && !(frames[frames.length - 1] instanceof Uint8Array)) defer = frames.pop().defer === true;
  let total = 0;
  for (const frame of frames) total += frame.byteLength;
  if (total <= PENDING_BYTES / 4 && append(frames, total)) {
    if (!defer) flushOutput();
    return;
  }
  lock(TURN);
  try {
    writePending();
    for (const frame of frames) writeAll(frame);
  } finally {
    unlock(TURN);
  }
  flushOutput();
}
