// wasi:keyvalue/store and wasi:keyvalue/atomics (0.2.0-draft) for a transpiled component: every
// operation is a synchronous host call; the host resolves the component's link to a key-value
// provider and the bucket its config names. jco turns a thrown `payload` into the result's error
// variant, and checks that `open` returns an instance of the Bucket class handed to it here.
import { callHost } from "./host-call.mjs";

const decoder = new TextDecoder();

export function keyvalueImports(componentId) {
  const call = (iface, fn, ...args) => callHost(componentId, `wasi:keyvalue/${iface}`, fn, args);

  class Bucket {
    #identifier;
    constructor(identifier) {
      this.#identifier = identifier;
    }
    get identifier() {
      return this.#identifier;
    }
    get(key) {
      const [value] = call("store", "get", this.#identifier, key);
      return value; // undefined (none) when the key has no value
    }
    set(key, value) {
      call("store", "set", this.#identifier, key, value);
    }
    delete(key) {
      call("store", "delete", this.#identifier, key);
    }
    exists(key) {
      return call("store", "exists", this.#identifier, key)[0][0] === 1;
    }
    listKeys(_cursor) {
      // One page with every key, as wasmCloud's NATS provider answers: JetStream has no cursor.
      const keys = call("store", "list-keys", this.#identifier).map((k) => decoder.decode(k));
      return { keys, cursor: undefined };
    }
  }

  return {
    store: {
      Bucket,
      open(identifier) {
        call("store", "open", identifier);
        return new Bucket(identifier);
      },
    },
    atomics: {
      increment(bucket, key, delta) {
        const [value] = call("atomics", "increment", bucket.identifier, key, String(delta));
        return BigInt(decoder.decode(value));
      },
    },
  };
}
