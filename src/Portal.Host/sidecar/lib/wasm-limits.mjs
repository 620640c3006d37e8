// Enforces the per-instance memory cap inside the wasm itself: the module's own memory section is
// rewritten so that its maximum is the cap. memory.grow past it then fails in the guest (returns
// -1) instead of the host noticing afterwards, and a module whose *initial* memory is already over
// the cap is rejected at load time. Imported memories are left to the caller's imports.
const PAGE = 65536;

function readLeb(bytes, offset) {
  let result = 0;
  let shift = 0;
  let byte;
  let length = 0;
  do {
    byte = bytes[offset + length++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return { value: result, length };
}

function writeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/**
 * Returns a copy of `wasm` whose defined memories have max = min(declared max, cap).
 * Throws when a memory's initial size already exceeds the cap or is 64-bit.
 */
export function capMemory(wasm, capBytes) {
  const capPages = Math.floor(capBytes / PAGE);
  const bytes = wasm instanceof Uint8Array ? wasm : new Uint8Array(wasm);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error("not a wasm module");
  }
  const pieces = [bytes.subarray(0, 8)];
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset];
    const size = readLeb(bytes, offset + 1);
    const start = offset + 1 + size.length;
    const end = start + size.value;
    if (id !== 5) {
      pieces.push(bytes.subarray(offset, end));
      offset = end;
      continue;
    }
    const count = readLeb(bytes, start);
    const body = [...writeLeb(count.value)];
    let p = start + count.length;
    for (let i = 0; i < count.value; i++) {
      const flags = bytes[p++];
      if (flags & 0x04) throw new Error("64-bit memories are not supported");
      const min = readLeb(bytes, p);
      p += min.length;
      let max = Infinity;
      if (flags & 0x01) {
        const declared = readLeb(bytes, p);
        p += declared.length;
        max = declared.value;
      }
      if (min.value > capPages) {
        throw new Error(`initial memory ${min.value * PAGE} bytes exceeds the cap of ${capPages * PAGE}`);
      }
      body.push((flags | 0x01) & 0xff, ...writeLeb(min.value), ...writeLeb(Math.min(max, capPages)));
    }
    pieces.push(Uint8Array.of(5, ...writeLeb(body.length), ...body));
    offset = end;
  }
  const total = pieces.reduce((n, piece) => n + piece.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
