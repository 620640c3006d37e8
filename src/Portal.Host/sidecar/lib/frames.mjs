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

/** Sequential reader over one frame's payload. */
export class FieldReader {
  constructor(buffer) {
    this.buffer = buffer;
    // A Buffer view of the same bytes (no copy): its UTF-8 decoding of short strings, which is
    // most of a request's fields, costs a fraction of TextDecoder's.
    this.text = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
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
    const length = this.u32();
    if (this.offset + length > this.buffer.byteLength) throw new Error("field overruns frame");
    const text = this.text.toString("utf8", this.offset, this.offset + length);
    this.offset += length;
    return text;
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
  const texts = new Array(headers.length * 2);
  let length = 4 + 4 + 4 + body.byteLength;
  for (let i = 0; i < headers.length; i++) {
    const name = String(headers[i][0]);
    const value = String(headers[i][1]);
    texts[2 * i] = name;
    texts[2 * i + 1] = value;
    length += 8 + Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  // Written in place: encoding each header into its own array first cost twice as much.
  const out = Buffer.allocUnsafe(HEADER_SIZE + length);
  out.writeUInt32LE(length, 0);
  out[4] = FrameType.Response;
  out[5] = 0;
  out.writeUInt16LE(0, 6);
  out.writeUInt32LE(requestId >>> 0, 8);
  let at = out.writeUInt32LE(status >>> 0, HEADER_SIZE);
  at = out.writeUInt32LE(headers.length, at);
  for (const text of texts) {
    const written = out.write(text, at + 4);
    out.writeUInt32LE(written, at);
    at += 4 + written;
  }
  out.writeUInt32LE(body.byteLength, at);
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

/**
 * Incremental splitter: feed it chunks from a stream, it calls onFrame(type, id, payload). A frame
 * cut across chunks is joined once, when its last byte has arrived: joining at every chunk made a
 * component of some megabytes cost time quadratic in its size.
 */
export class FrameSplitter {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.chunks = [];
    this.buffered = 0;
    this.needed = HEADER_SIZE;
  }
  push(chunk) {
    if (this.chunks.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered < this.needed) return;
      chunk = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
    }
    let offset = 0;
    while (chunk.length - offset >= HEADER_SIZE) {
      const length = chunk.readUInt32LE(offset);
      if (chunk.length - offset < HEADER_SIZE + length) break;
      const type = chunk.readUInt8(offset + 4);
      const id = chunk.readUInt32LE(offset + 8);
      const payload = chunk.subarray(offset + HEADER_SIZE, offset + HEADER_SIZE + length);
      offset += HEADER_SIZE + length;
      this.onFrame(type, id, payload);
    }
    this.needed = HEADER_SIZE;
    if (offset === chunk.length) return;
    // The rest stays a view: stdin chunks are never reused.
    const rest = chunk.subarray(offset);
    this.chunks = [rest];
    this.buffered = rest.length;
    if (rest.length >= HEADER_SIZE) this.needed = HEADER_SIZE + rest.readUInt32LE(0);
  }
}
