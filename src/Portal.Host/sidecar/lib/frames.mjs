// Binary framing shared with Portal.Host (Engine/Protocol). Every frame is
//   u32 payloadLength | u8 type | u8 flags | u16 reserved | u32 requestId | payload
// little-endian. Payload fields are u32 integers or u32-length-prefixed byte strings, in a fixed
// order per frame type. Bodies travel as raw bytes: no JSON, no base64, one copy at most.
export const HEADER_SIZE = 12;

export const FrameType = Object.freeze({
  Load: 0x01,
  Unload: 0x02,
  Invoke: 0x03,
  Ping: 0x04,
  Probe: 0x05,
  HostReturn: 0x06, // the host's answer to a HostCall (same request id)
  Ready: 0x80,
  Loaded: 0x81,
  Unloaded: 0x82,
  Response: 0x83,
  Pong: 0x84,
  Probed: 0x85,
  HostCall: 0xa0, // a guest's import call the host implements (ids are the sidecar's own)
  Failed: 0xe0,
  Event: 0xf0,
  GuestLog: 0xf1, // wasi:logging from a guest
});

// Failure codes: why an invocation or a load did not produce a response.
export const FailureCode = Object.freeze({
  Trap: 1,
  Timeout: 2,
  MemoryLimit: 3,
  NotLoaded: 4,
  BadRequest: 5,
  Internal: 6,
  BadResponse: 7,
  LoadFailed: 8,
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sequential reader over one frame's payload. */
export class FieldReader {
  constructor(buffer) {
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.offset = 0;
  }
  u32() {
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }
  bytes() {
    const length = this.u32();
    if (this.offset + length > this.buffer.byteLength) throw new Error("field overruns frame");
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
  string() {
    return decoder.decode(this.bytes());
  }
  pairs() {
    const count = this.u32();
    const result = new Array(count);
    for (let i = 0; i < count; i++) result[i] = [this.string(), this.string()];
    return result;
  }
}

/** Builds one frame: collect fields, then `finish` yields a single Buffer ready to write. */
export class FrameWriter {
  constructor(type, requestId) {
    this.type = type;
    this.requestId = requestId >>> 0;
    this.parts = [];
    this.length = 0;
  }
  u32(value) {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(value >>> 0, 0);
    this.parts.push(b);
    this.length += 4;
    return this;
  }
  bytes(data) {
    this.u32(data.byteLength);
    this.parts.push(data);
    this.length += data.byteLength;
    return this;
  }
  string(text) {
    return this.bytes(encoder.encode(text));
  }
  pairs(list) {
    this.u32(list.length);
    for (const [k, v] of list) this.string(k).string(String(v));
    return this;
  }
  finish() {
    const header = Buffer.allocUnsafe(HEADER_SIZE);
    header.writeUInt32LE(this.length, 0);
    header.writeUInt8(this.type, 4);
    header.writeUInt8(0, 5);
    header.writeUInt16LE(0, 6);
    header.writeUInt32LE(this.requestId, 8);
    return Buffer.concat([header, ...this.parts], HEADER_SIZE + this.length);
  }
}

/**
 * Encodes a Response frame (u32 status, headers, body) into one Uint8Array. Workers build their
 * answers with it and write the frame with a single write (output.mjs): the main thread (the
 * sidecar's one serial stage) does no per-response work at all.
 */
export function encodeResponse(requestId, status, headers, body) {
  const encoded = new Array(headers.length * 2);
  let length = 4 + 4 + 4 + body.byteLength;
  for (let i = 0; i < headers.length; i++) {
    const name = encoder.encode(headers[i][0]);
    const value = encoder.encode(String(headers[i][1]));
    encoded[2 * i] = name;
    encoded[2 * i + 1] = value;
    length += 8 + name.byteLength + value.byteLength;
  }
  const out = new Uint8Array(HEADER_SIZE + length);
  const view = new DataView(out.buffer);
  view.setUint32(0, length, true);
  out[4] = FrameType.Response;
  view.setUint32(8, requestId >>> 0, true);
  let at = HEADER_SIZE;
  view.setUint32(at, status >>> 0, true);
  view.setUint32(at + 4, headers.length, true);
  at += 8;
  for (const bytes of encoded) {
    view.setUint32(at, bytes.byteLength, true);
    out.set(bytes, at + 4);
    at += 4 + bytes.byteLength;
  }
  view.setUint32(at, body.byteLength, true);
  out.set(body, at + 4);
  return out;
}

/** Decodes an Invoke payload (component id, method, path and query, headers, body). */
export function decodeInvoke(payload) {
  const r = new FieldReader(payload);
  const componentId = r.string();
  const method = r.string();
  const pathAndQuery = r.string();
  const headers = r.pairs();
  return { componentId, method, pathAndQuery, headers, body: r.bytes() };
}

/** Incremental splitter: feed it chunks from a stream, it calls onFrame(type, id, payload). */
export class FrameSplitter {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.pending = Buffer.alloc(0);
  }
  push(chunk) {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (buffer.length - offset >= HEADER_SIZE) {
      const length = buffer.readUInt32LE(offset);
      if (buffer.length - offset < HEADER_SIZE + length) break;
      const type = buffer.readUInt8(offset + 4);
      const id = buffer.readUInt32LE(offset + 8);
      const payload = buffer.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + length);
      offset += HEADER_SIZE + length;
      this.onFrame(type, id, payload);
    }
    this.pending = offset === buffer.length ? Buffer.alloc(0) : Buffer.from(buffer.subarray(offset));
  }
}
