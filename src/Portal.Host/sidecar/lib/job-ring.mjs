// How jobs reach a worker: a ring of bytes in shared memory that the main thread writes and one
// worker reads. Posting each batch of jobs as a message cost the main thread a structured clone
// plus a wake-up of the worker's event loop; a worker that is busy anyway now finds its next jobs
// in the ring, and only a worker that went to sleep is rung (a tiny message, see `rings`).
//
// Entries are 4-byte aligned and contiguous: u32 size (the whole entry; 0 marks a wrap to the
// start), u32 kind, u32 request id, u32 sequence number `n`, u32 payload length, payload. A
// MESSAGE entry stands for the next message on the worker's data port (loads, unloads, probes and
// jobs too large for the ring), so everything keeps the order it was sent in.
//
// Words: HEAD (where the writer writes next), TAIL (where the reader reads next), both byte
// offsets in the data area; equal means empty, so the writer never fills the ring completely.
// ASLEEP is 1 while the worker waits in its event loop for a ring (set by the worker, taken by the
// main thread with compare-and-swap when it rings, so a worker is rung at most once per sleep).
export const INVOKE = 1;
export const MESSAGE = 2;

const HEAD = 0;
const TAIL = 1;
const ASLEEP = 2;
const WORDS = 16;
const ENTRY_HEADER = 20;

export class JobRing {
  /** A ring of `bytes` data bytes (a multiple of 4), its worker counted as asleep until it drains. */
  static create(bytes) {
    const sab = new SharedArrayBuffer(WORDS + bytes);
    Atomics.store(new Int32Array(sab, 0, 4), ASLEEP, 1);
    return sab;
  }

  constructor(sab) {
    this.sab = sab;
    this.words = new Int32Array(sab, 0, 4);
    this.data = new Uint8Array(sab, WORDS);
    this.view = new DataView(sab, WORDS);
    this.size = this.data.byteLength;
  }

  /** Entries with payloads larger than this go through the data port instead. */
  get largest() {
    return this.size / 4;
  }

  /**
   * Writer side: appends an entry; false when the ring has no room for it now. `beforeCommit` runs
   * once the room is taken and before the reader can see the entry (a MESSAGE entry's message is
   * posted there, so the reader never finds the entry without its message).
   */
  push(kind, id, n, payload, beforeCommit) {
    const length = payload ? payload.byteLength : 0;
    const need = (ENTRY_HEADER + length + 3) & ~3;
    let head = Atomics.load(this.words, HEAD);
    const tail = Atomics.load(this.words, TAIL);
    let at;
    if (head >= tail) {
      const end = head + need;
      if (end < this.size || (end === this.size && tail !== 0)) {
        at = head;
      } else if (need < tail) {
        this.view.setUint32(head, 0, true); // the reader goes back to the start from here
        at = 0;
      } else {
        return false;
      }
    } else if (head + need < tail) {
      at = head;
    } else {
      return false;
    }
    const view = this.view;
    view.setUint32(at, need, true);
    view.setUint32(at + 4, kind, true);
    view.setUint32(at + 8, id >>> 0, true);
    view.setUint32(at + 12, n | 0, true);
    view.setUint32(at + 16, length, true);
    if (length > 0) this.data.set(payload, at + ENTRY_HEADER);
    beforeCommit?.();
    head = at + need;
    Atomics.store(this.words, HEAD, head === this.size ? 0 : head);
    return true;
  }

  /** Reader side: the next entry as { kind, id, n, payload } (the payload copied out), or null. */
  take() {
    let tail = Atomics.load(this.words, TAIL);
    if (tail === Atomics.load(this.words, HEAD)) return null;
    let need = this.view.getUint32(tail, true);
    if (need === 0) {
      tail = 0;
      need = this.view.getUint32(0, true);
    }
    const view = this.view;
    const length = view.getUint32(tail + 16, true);
    const entry = {
      kind: view.getUint32(tail + 4, true),
      id: view.getUint32(tail + 8, true),
      n: view.getInt32(tail + 12, true),
      payload: length > 0 ? this.data.slice(tail + ENTRY_HEADER, tail + ENTRY_HEADER + length) : null,
    };
    const next = tail + need;
    Atomics.store(this.words, TAIL, next === this.size ? 0 : next);
    return entry;
  }

  isEmpty() {
    return Atomics.load(this.words, TAIL) === Atomics.load(this.words, HEAD);
  }

  /**
   * Reader side, when the ring looks empty: marks the worker asleep. False when an entry arrived
   * meanwhile and the worker took its own mark back (it goes on reading; no ring is needed).
   */
  sleep() {
    Atomics.store(this.words, ASLEEP, 1);
    if (this.isEmpty()) return true;
    return Atomics.compareExchange(this.words, ASLEEP, 1, 0) !== 1;
  }

  /** Writer side: true when the worker sleeps and this caller must ring it (once per sleep). */
  takeSleeper() {
    return Atomics.load(this.words, ASLEEP) === 1 && Atomics.compareExchange(this.words, ASLEEP, 1, 0) === 1;
  }
}
