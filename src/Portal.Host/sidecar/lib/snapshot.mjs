// Instance reuse for CGI modules, with the semantics of a fresh instance per request: a worker
// keeps one live instance per module, takes a snapshot of its state right after instantiation
// (before `_start`), and puts that state back before every request. A wasm instance's mutable
// state is its memories, mutable globals and tables (plus dropped passive segments, see below),
// so restoring those is indistinguishable from instantiating again, at a fraction of the cost.
//
// `exposeState` rewrites the module once at load so the host can reach that state: every defined
// mutable global (e.g. `__stack_pointer`) and the table get an export. The memory is already the
// host's (wasm-limits.mjs turns it into an import). Modules whose state cannot be restored this
// way keep a fresh instance per request: imported mutable globals or tables, more than one table,
// passive data segments (a DataCount section: data.drop is state we cannot undo) or passive element
// segments (elem.drop, likewise).
import { concat, readLeb, sections, writeLeb } from "./wasm-limits.mjs";

export const GLOBAL_PREFIX = "portal:global:";
export const TABLE_EXPORT = "portal:table";

function name(text) {
  const bytes = new TextEncoder().encode(text);
  return [...writeLeb(bytes.length), ...bytes];
}

/** Skips a constant expression (through its `end`); returns the offset after it, or -1 if unknown. */
function skipConstExpr(bytes, p) {
  for (;;) {
    const op = bytes[p++];
    switch (op) {
      case 0x0b: return p;
      case 0x41: case 0x42: case 0x23: case 0xd2: p += readLeb(bytes, p).length; break;
      case 0x43: p += 4; break;
      case 0x44: p += 8; break;
      case 0xd0: p += 1; break;
      default: return -1;
    }
  }
}

function importCounts(bytes, section) {
  const counts = { tables: 0, globals: 0, mutableGlobals: 0 };
  if (!section) return counts;
  const count = readLeb(bytes, section.start);
  let p = section.start + count.length;
  for (let i = 0; i < count.value; i++) {
    for (let n = 0; n < 2; n++) {
      const len = readLeb(bytes, p);
      p += len.length + len.value;
    }
    const kind = bytes[p++];
    if (kind === 0x00) p += readLeb(bytes, p).length;
    else if (kind === 0x01 || kind === 0x02) {
      if (kind === 0x01) {
        counts.tables++;
        p += 1;
      }
      const flags = bytes[p++];
      p += readLeb(bytes, p).length;
      if (flags & 1) p += readLeb(bytes, p).length;
    } else if (kind === 0x03) {
      counts.globals++;
      if (bytes[p + 1] & 1) counts.mutableGlobals++;
      p += 2;
    } else return null;
  }
  return counts;
}

function hasPassiveElements(bytes, section) {
  if (!section) return false;
  const count = readLeb(bytes, section.start);
  let p = section.start + count.length;
  const skipVec = (each) => {
    const n = readLeb(bytes, p);
    p += n.length;
    for (let i = 0; i < n.value; i++) {
      p = each(p);
      if (p < 0) return false;
    }
    return true;
  };
  const index = (at) => at + readLeb(bytes, at).length;
  for (let i = 0; i < count.value; i++) {
    const flags = readLeb(bytes, p);
    p += flags.length;
    const f = flags.value;
    if (f === 1 || f === 5) return true;
    if (f > 7) return true; // unknown: treat as not restorable
    if (f === 2 || f === 6) p = index(p);
    if (f === 0 || f === 2 || f === 4 || f === 6) {
      p = skipConstExpr(bytes, p);
      if (p < 0) return true;
    }
    if (f === 2 || f === 3 || f === 6 || f === 7) p += 1; // elemkind / reftype
    const ok = f < 4 ? skipVec(index) : skipVec((at) => skipConstExpr(bytes, at));
    if (!ok) return true;
  }
  return false;
}

/**
 * Returns { wasm, globals, table } where `wasm` exports the module's restorable state, `globals`
 * the export names of its mutable globals and `table` the table's export name (or null); or null
 * when the module's state cannot be restored (it then gets a fresh instance per request).
 */
export function exposeState(bytes) {
  const list = sections(bytes);
  const byId = (id) => list.find((s) => s.id === id);
  if (byId(12)) return null; // DataCount: passive data segments
  const imports = importCounts(bytes, byId(2));
  if (!imports || imports.mutableGlobals > 0 || imports.tables > 0) return null;
  if (hasPassiveElements(bytes, byId(9))) return null;

  const added = [];
  const globals = [];
  const globalSection = byId(6);
  if (globalSection) {
    const count = readLeb(bytes, globalSection.start);
    let p = globalSection.start + count.length;
    for (let i = 0; i < count.value; i++) {
      const mutable = bytes[p + 1] & 1;
      p = skipConstExpr(bytes, p + 2);
      if (p < 0) return null;
      if (!mutable) continue;
      const exportName = GLOBAL_PREFIX + i;
      globals.push(exportName);
      added.push([...name(exportName), 0x03, ...writeLeb(imports.globals + i)]);
    }
  }
  let table = null;
  const tableSection = byId(4);
  if (tableSection) {
    const count = readLeb(bytes, tableSection.start).value;
    if (count > 1) return null;
    if (count === 1) {
      table = TABLE_EXPORT;
      added.push([...name(table), 0x01, 0x00]);
    }
  }
  if (added.length === 0) return { wasm: bytes, globals, table };

  const exportSection = byId(7);
  let body;
  if (exportSection) {
    const existing = readLeb(bytes, exportSection.start);
    body = [...writeLeb(existing.value + added.length), ...bytes.subarray(exportSection.start + existing.length, exportSection.end), ...added.flat()];
  } else {
    body = [...writeLeb(added.length), ...added.flat()];
  }
  const section = Uint8Array.of(7, ...writeLeb(body.length), ...body);
  // Sections keep their order: the export section goes where it was, or before the first section
  // that must follow it (start 8, element 9, datacount 12, code 10, data 11).
  const pieces = [bytes.subarray(0, 8)];
  let placed = false;
  for (const s of list) {
    if (s.id === 7) {
      pieces.push(section);
      placed = true;
      continue;
    }
    if (!placed && [8, 9, 10, 11, 12].includes(s.id)) {
      pieces.push(section);
      placed = true;
    }
    pieces.push(s.raw);
  }
  if (!placed) pieces.push(section);
  return { wasm: concat(pieces), globals, table };
}

/**
 * The state to put back before each request, taken from an instance that has just been created
 * (its start function, if any, has run; `_start` has not).
 */
export function takeSnapshot(instance, memory, state) {
  const bytes = new Uint8Array(memory.buffer);
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const globals = state.globals.map((n) => instance.exports[n]);
  const table = state.table ? instance.exports[state.table] : null;
  const entries = [];
  if (table) for (let i = 0; i < table.length; i++) entries.push(table.get(i));
  return {
    instance,
    memory,
    size: bytes.length,
    data: bytes.slice(0, end),
    globals,
    values: globals.map((g) => g.value),
    table,
    entries,
  };
}

/**
 * Puts the snapshot's state back. False when it cannot be (the memory or the table grew: a fresh
 * instance then has to be made, since wasm cannot shrink them).
 */
export function restore(live) {
  if (live.memory.buffer.byteLength !== live.size) return false;
  if (live.table && live.table.length !== live.entries.length) return false;
  const bytes = new Uint8Array(live.memory.buffer);
  bytes.set(live.data);
  bytes.fill(0, live.data.length);
  for (let i = 0; i < live.globals.length; i++) live.globals[i].value = live.values[i];
  if (live.table) {
    for (let i = 0; i < live.entries.length; i++) {
      if (live.table.get(i) !== live.entries[i]) live.table.set(i, live.entries[i]);
    }
  }
  return true;
}
