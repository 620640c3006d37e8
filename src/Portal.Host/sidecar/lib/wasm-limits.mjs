// Enforces the per-instance memory cap inside the wasm itself: the module's own memory section is
// rewritten so that its maximum is the cap. memory.grow past it then fails in the guest (returns
// -1) instead of the host noticing afterwards, and a module whose *initial* memory is already over
// the cap is rejected at load time. Imported memories are left to the caller's imports.
const PAGE = 65536;

export function readLeb(bytes, offset) {
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

export function writeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function name(text) {
  const bytes = new TextEncoder().encode(text);
  return [...writeLeb(bytes.length), ...bytes];
}

function section(id, body) {
  return Uint8Array.of(id, ...writeLeb(body.length), ...body);
}

/**
 * Returns a copy of `wasm` whose defined memories have max = min(declared max, cap).
 * Throws when a memory's initial size already exceeds the cap or is 64-bit.
 *
 * With `importMemory`, a module with exactly one defined memory (and none imported) is rewritten
 * to import it as ("portal", "memory") instead — same index, same limits — so the host can hand
 * each fresh instance a zeroed memory from a pool: creating a new memory costs V8 a guarded address
 * space reservation, most of the price of a fresh instance. Returns { wasm, memory } where memory
 * is { minPages, maxPages } when imported, else null.
 */
export function capMemory(wasm, capBytes, { importMemory = false } = {}) {
  const capped = capDefined(wasm, capBytes);
  if (!importMemory) return { wasm: capped, memory: null };
  return moveMemoryToImport(capped);
}

export function sections(bytes) {
  const list = [];
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset];
    const size = readLeb(bytes, offset + 1);
    const start = offset + 1 + size.length;
    list.push({ id, start, end: start + size.value, raw: bytes.subarray(offset, start + size.value) });
    offset = start + size.value;
  }
  return list;
}

function countImportedMemories(bytes, imports) {
  if (!imports) return 0;
  const count = readLeb(bytes, imports.start);
  let p = imports.start + count.length;
  let memories = 0;
  for (let i = 0; i < count.value; i++) {
    for (let n = 0; n < 2; n++) {
      const len = readLeb(bytes, p);
      p += len.length + len.value;
    }
    const kind = bytes[p++];
    if (kind === 0x00) p += readLeb(bytes, p).length; // function: type index
    else if (kind === 0x01) { // table: reftype + limits
      p += 1;
      const flags = bytes[p++];
      p += readLeb(bytes, p).length;
      if (flags & 1) p += readLeb(bytes, p).length;
    } else if (kind === 0x02) { // memory: limits
      memories++;
      const flags = bytes[p++];
      p += readLeb(bytes, p).length;
      if (flags & 1) p += readLeb(bytes, p).length;
    } else if (kind === 0x03) p += 2; // global: valtype + mutability
    else throw new Error(`unsupported import kind ${kind}`);
  }
  return memories;
}

function moveMemoryToImport(bytes) {
  const list = sections(bytes);
  const memorySection = list.find((s) => s.id === 5);
  const importSection = list.find((s) => s.id === 2);
  if (!memorySection || countImportedMemories(bytes, importSection) > 0) return { wasm: bytes, memory: null };
  const count = readLeb(bytes, memorySection.start);
  if (count.value !== 1) return { wasm: bytes, memory: null };
  let p = memorySection.start + count.length;
  const flags = bytes[p++];
  if (flags !== 0x01) return { wasm: bytes, memory: null }; // shared memories stay as they are
  const min = readLeb(bytes, p);
  p += min.length;
  const max = readLeb(bytes, p);

  const entry = [...name("portal"), ...name("memory"), 0x02, 0x01, ...writeLeb(min.value), ...writeLeb(max.value)];
  let importBody;
  if (importSection) {
    const existing = readLeb(bytes, importSection.start);
    importBody = [...writeLeb(existing.value + 1), ...bytes.subarray(importSection.start + existing.length, importSection.end), ...entry];
  } else {
    importBody = [1, ...entry];
  }
  const pieces = [bytes.subarray(0, 8)];
  let placed = false;
  for (const s of list) {
    if (s.id === 5) continue;
    if (s.id === 2) {
      pieces.push(section(2, importBody));
      placed = true;
      continue;
    }
    if (!placed && s.id !== 0 && s.id !== 1) {
      pieces.push(section(2, importBody));
      placed = true;
    }
    pieces.push(s.raw);
  }
  if (!placed) pieces.push(section(2, importBody));
  return { wasm: concat(pieces), memory: { minPages: min.value, maxPages: max.value } };
}

export function concat(pieces) {
  const total = pieces.reduce((n, piece) => n + piece.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

function capDefined(wasm, capBytes) {
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
  return concat(pieces);
}
