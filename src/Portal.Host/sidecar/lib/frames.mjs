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
