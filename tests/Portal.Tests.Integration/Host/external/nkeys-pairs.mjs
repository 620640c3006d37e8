// Fresh nkeys server key pairs from the reference implementation (nkeys.js), for HostIdentityTests:
//   node nkeys-pairs.mjs <count> <message>
// prints one JSON line per pair: {"seed":"SN...","public":"N...","signature":"<hex of sign(message)>"}.
import { createServer } from "nkeys.js";

const [count, message] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  const pair = createServer();
  const signature = Buffer.from(pair.sign(new TextEncoder().encode(message))).toString("hex");
  console.log(JSON.stringify({ seed: new TextDecoder().decode(pair.getSeed()), public: pair.getPublicKey(), signature }));
}
