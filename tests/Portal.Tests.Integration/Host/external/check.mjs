// External check of portal-host, written from lattice-protocol.md alone with the reference NATS
// client (nats.js): the host must answer as a wasmCloud 1.x host does.
// Usage: node check.mjs <nats-url> <lattice> <component-image-ref>
// Exit code 0 when every check passed; each check prints one line.
import net from "node:net";
import { connect, JSONCodec, Empty, RequestStrategy } from "nats";

const [natsUrl, lattice, componentRef] = process.argv.slice(2);
if (!natsUrl || !lattice || !componentRef) {
  console.error("usage: node check.mjs <nats-url> <lattice> <component-image-ref>");
  process.exit(2);
}

const P = `wasmbus.ctl.v1.${lattice}`;
const jc = JSONCodec();
let failures = 0;

function check(name, condition, detail) {
  if (condition) {
    console.log(`ok   ${name}`);
  } else {
    failures++;
    console.log(`FAIL ${name}${detail === undefined ? "" : `: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`}`);
  }
}

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const nc = await connect({ servers: natsUrl, name: "portal-host external check" });

// Every event of the lattice (section 2.1), kept for the checks below.
const events = [];
const waiters = [];
nc.subscribe(`wasmbus.evt.${lattice}.>`, {
  callback: (err, msg) => {
    if (err) return;
    const event = { subject: msg.subject, ...jc.decode(msg.data) };
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  },
});
await nc.flush();

function waitEvent(name, match = () => true, ms = 60000) {
  const matches = (e) => e.type === `com.wasmcloud.lattice.${name}` && match(e.data ?? {});
  const seen = events.find(matches);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const waiter = { match: matches, resolve };
    waiters.push(waiter);
    setTimeout(() => {
      const i = waiters.indexOf(waiter);
      if (i >= 0) {
        waiters.splice(i, 1);
        resolve(null);
      }
    }, ms);
  });
}

async function request(subject, body, timeout = 5000) {
  const data = body === undefined ? Empty : jc.encode(body);
  const msg = await nc.request(subject, data, { timeout });
  return jc.decode(msg.data);
}

try {
  // host.ping: scatter-gather, every host replies (1.5).
  const pings = [];
  for await (const msg of await nc.requestMany(`${P}.host.ping`, Empty, { strategy: RequestStrategy.Timer, maxWait: 1500 })) {
    pings.push(jc.decode(msg.data));
  }
  check("host.ping has at least one reply", pings.length >= 1, pings);
  const ping = pings[0]?.response ?? {};
  const hostId = ping.id;
  check("ping reply is a CtlResponse with success and message", pings[0]?.success === true && typeof pings[0]?.message === "string", pings[0]);
  check("host id is an nkey server public key", /^N[A-Z2-7]{55}$/.test(hostId ?? ""), hostId);
  check("ping carries the lattice", ping.lattice === lattice, ping);
  check("ping has hostcore labels", ["hostcore.os", "hostcore.arch", "hostcore.osfamily"].every((k) => typeof ping.labels?.[k] === "string"), ping.labels);
  check("ping version is semver", /^\d+\.\d+\.\d+/.test(ping.version ?? ""), ping.version);
  check("ping has friendly_name and uptime", typeof ping.friendly_name === "string" && typeof ping.uptime_seconds === "number", ping);

  // host.get: the inventory (1.5, 2.3).
  const inventory = await request(`${P}.host.get.${hostId}`);
  check("host.get answers with the inventory", inventory.success === true && inventory.response?.host_id === hostId
    && Array.isArray(inventory.response?.components) && Array.isArray(inventory.response?.providers), inventory);

  // config.put / config.get (queue group, 1.5).
  const port = await freePort();
  const configName = "external-http-address";
  const putConfig = await request(`${P}.config.put.${configName}`, { address: `127.0.0.1:${port}` });
  check("config.put", putConfig.success === true && putConfig.message === "successfully put config", putConfig);
  check("config_set event", (await waitEvent("config_set", (d) => d.config_name === configName)) !== null);
  const getConfig = await request(`${P}.config.get.${configName}`);
  check("config.get returns the map", getConfig.success === true && getConfig.response?.address === `127.0.0.1:${port}`, getConfig);
  const noConfig = await request(`${P}.config.get.external-missing`);
  check("config.get of a missing name", noConfig.success === true && noConfig.message === "Configuration not found" && noConfig.response === undefined, noConfig);
  const badConfig = await request(`${P}.config.put.external-bad`, { n: 1 });
  check("config.put refuses non-string values", badConfig.success === false, badConfig);

  // component.scale: the instance cap is spelled "count" (1.5, 6.1).
  const componentId = "external-hello";
  const scale = await request(`${P}.component.scale.${hostId}`, {
    component_ref: componentRef, component_id: componentId, annotations: { "external": "check" },
    count: 2, host_id: hostId, config: [], allow_update: false,
  });
  check("component.scale is acknowledged", scale.success === true && typeof scale.message === "string", scale);
  const scaled = await waitEvent("component_scaled", (d) => d.component_id === componentId && d.max_instances === 2);
  check("component_scaled event with max_instances 2", scaled !== null, events.map((e) => e.type));
  check("component_scaled carries image_ref and annotations", scaled?.data?.image_ref === componentRef && scaled?.data?.annotations?.external === "check", scaled?.data);
  const badScale = await request(`${P}.component.scale.${hostId}`, { count: 1 });
  check("scale without component_id fails", badScale.success === false && badScale.message.length > 0, badScale);

  // provider.start of the built-in HTTP server (1.5).
  const providerId = "external-http";
  const start = await request(`${P}.provider.start.${hostId}`, {
    provider_id: providerId, provider_ref: "wasmcloud+builtin://http-server", host_id: hostId, config: [], annotations: {},
  });
  check("provider.start", start.success === true && start.message === "successfully started provider", start);
  check("provider_started event", (await waitEvent("provider_started", (d) => d.provider_id === providerId)) !== null);
  const again = await request(`${P}.provider.start.${hostId}`, { provider_id: providerId, provider_ref: "wasmcloud+builtin://http-server", host_id: hostId });
  check("provider.start of a running provider fails", again.success === false && again.message === "provider with that ID is already running", again);

  // link.put / link.get (queue group, 1.5, 3.6).
  const link = {
    source_id: providerId, target: componentId, name: "default", wit_namespace: "wasi", wit_package: "http",
    interfaces: ["incoming-handler"], source_config: [configName], target_config: [],
  };
  const putLink = await request(`${P}.link.put`, link);
  check("link.put", putLink.success === true && putLink.message === "successfully set link", putLink);
  check("linkdef_set event", (await waitEvent("linkdef_set", (d) => d.source_id === providerId && d.target === componentId)) !== null);
  const links = await request(`${P}.link.get`);
  check("link.get returns the link", links.success === true && Array.isArray(links.response)
    && links.response.some((l) => l.source_id === providerId && l.target === componentId && l.source_config?.[0] === configName), links);
  const missing = await request(`${P}.link.put`, { ...link, name: "other", source_config: ["no-such-config"] });
  check("link.put with an unknown config fails", missing.success === false && missing.message === "Configuration no-such-config not found in config store", missing);

  // The linked component answers HTTP on the configured address.
  let body = "";
  for (let i = 0; i < 100 && !body.includes("Hello"); i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      body = await response.text();
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  check("HTTP request through the provider reaches the component", body.includes("Hello from wasm"), body);

  // label.put (1.5): labels_changed with the full map.
  const label = await request(`${P}.label.put.${hostId}`, { key: "external", value: "yes" });
  check("label.put", label.success === true && label.message === "successfully put label", label);
  const changed = await waitEvent("labels_changed", (d) => d.labels?.external === "yes");
  check("labels_changed event with the full label map", changed !== null && changed.data.labels["hostcore.os"] !== undefined, changed?.data);
  const hostcore = await request(`${P}.label.put.${hostId}`, { key: "hostcore.os", value: "x" });
  check("hostcore labels cannot be set", hostcore.success === false, hostcore);

  // Scale to 0 stops it and still reports component_scaled (1.5).
  await request(`${P}.component.scale.${hostId}`, { component_ref: componentRef, component_id: componentId, count: 0, host_id: hostId });
  check("component_scaled with max_instances 0", (await waitEvent("component_scaled", (d) => d.component_id === componentId && d.max_instances === 0)) !== null);

  // Unknown operations get the envelope too.
  const unknown = await request(`${P}.host.dance.${hostId}`);
  check("unsupported subject", unknown.success === false && unknown.message === "unsupported subject", unknown);

  // Every event is a CloudEvent 1.0 from this host (2.1).
  const ours = events.filter((e) => e.source === hostId);
  check("events were received", ours.length >= 6, events.length);
  check("events are CloudEvents 1.0 with type, id, time and json data", ours.every((e) =>
    e.specversion === "1.0" && e.type.startsWith("com.wasmcloud.lattice.") && e.subject === `wasmbus.evt.${lattice}.${e.type.slice("com.wasmcloud.lattice.".length)}`
    && typeof e.id === "string" && !Number.isNaN(Date.parse(e.time)) && e.datacontenttype === "application/json" && typeof e.data === "object"),
    ours.find((e) => e.specversion !== "1.0"));
} catch (error) {
  failures++;
  console.log(`FAIL unexpected error: ${error?.stack ?? error}`);
} finally {
  await nc.close();
}

console.log(failures === 0 ? "all checks passed" : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
