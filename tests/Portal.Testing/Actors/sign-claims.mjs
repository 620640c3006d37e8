// Embeds signed wasmCloud claims in a wasm binary the way wascap does, using Node's own Ed25519,
// so the inspector's claims checks are tested against an implementation that is not ours:
//   node sign-claims.mjs <in.wasm> <out.wasm> <options.json>
// options: issuerSeed, subjectSeed (32 bytes hex each), iat, exp?, nbf?, jti?, section? (default
// "wasmcloud_jwt"), wascap (name, ver, rev, call_alias, tags, ...; "hash" is filled in).
// Writes out.wasm (the input plus one custom section at the end) and out.wasm.json with the issuer,
// the subject and the token. The module hash is SHA-256 of the input: equal to wascap's hash of
// the re-encoded binary when the input has no JWT section and minimal section-size LEB128s, as
// clang, wat2wasm and wit-component write them.
import { createHash, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const [input, output, optionsJson] = process.argv.slice(2);
if (!input || !output || !optionsJson) {
  console.error("usage: node sign-claims.mjs <in.wasm> <out.wasm> <options.json>");
  process.exit(2);
}
const options = JSON.parse(optionsJson);
const wasm = readFileSync(input);

// A raw 32-byte Ed25519 seed wrapped in the fixed PKCS#8 prefix Node accepts.
function keyPair(seedHex) {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seedHex, "hex")]);
  const privateKey = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12);
  return { privateKey, publicKey };
}

// nkeys: base32 of prefix byte + key + CRC-16/XMODEM (little-endian).
function crc16(bytes) {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function base32(bytes) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0, text = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      text += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += alphabet[(value << (5 - bits)) & 31];
  return text;
}

function nkey(prefix, key) {
  const raw = Buffer.concat([Buffer.from([prefix]), key, Buffer.alloc(2)]);
  const crc = crc16(raw.subarray(0, 33));
  raw[33] = crc & 0xff;
  raw[34] = crc >> 8;
  return base32(raw);
}

function leb128(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return Buffer.from(out);
}

const issuer = keyPair(options.issuerSeed);
const subject = keyPair(options.subjectSeed);
const claims = {
  jti: options.jti ?? "inspector-test",
  iat: options.iat,
  ...(options.exp !== undefined ? { exp: options.exp } : {}),
  ...(options.nbf !== undefined ? { nbf: options.nbf } : {}),
  iss: nkey(0 << 3, issuer.publicKey),
  sub: nkey(12 << 3, subject.publicKey),
  wascap: { ...options.wascap, hash: createHash("sha256").update(wasm).digest("hex").toUpperCase() },
  wascap_revision: 3,
};
const segment = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const signingInput = `${segment({ typ: "jwt", alg: "Ed25519" })}.${segment(claims)}`;
const jwt = `${signingInput}.${sign(null, Buffer.from(signingInput), issuer.privateKey).toString("base64url")}`;

const name = Buffer.from(options.section ?? "wasmcloud_jwt");
const body = Buffer.concat([leb128(name.length), name, Buffer.from(jwt)]);
writeFileSync(output, Buffer.concat([wasm, Buffer.from([0]), leb128(body.length), body]));
writeFileSync(`${output}.json`, JSON.stringify({ issuer: claims.iss, subject: claims.sub, jwt }));
