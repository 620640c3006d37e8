// Builds a wasi:http (world `proxy`) component from one JS handler module with componentize-js,
// using the WIT that ships with jco. Called by the C# actor builder at test time:
//   node build.mjs <handler.js> <out.wasm>
// A handler that needs more imports names their worlds in a comment line of its own, e.g.
//   // world-include: wasi:keyvalue/imports@0.2.0-draft wasi:logging/imports@0.1.0-draft
// and their WIT packages come from ../wit (written for these tests; jco ships only wasi 0.2).
// The API is used directly because the `jco componentize` command failed to read paths offline.
import { componentize } from "@bytecodealliance/componentize-js";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error("usage: node build.mjs <handler.js> <out.wasm>");
  process.exit(2);
}
// jco's exports map hides package.json, so locate its WIT next to this script.
const here = dirname(fileURLToPath(import.meta.url));
const jcoDir = join(here, "node_modules", "@bytecodealliance", "jco");
const builtin = join(jcoDir, "lib", "wit", "builtin", "0.2.12");
const ours = join(here, "..", "wit");

const code = await readFile(source, "utf8");
const includes = [...code.matchAll(/^\/\/ world-include:(.*)$/gm)].flatMap((m) => m[1].trim().split(/\s+/));

// jco ships each WASI package as a sibling folder; the WIT resolver wants one root package with
// the others under deps/, so assemble that layout in a scratch folder.
const wit = await mkdtemp(join(tmpdir(), "portal-actor-wit-"));
try {
  const world = ["wasi:http/proxy@0.2.12", ...includes].map((w) => `  include ${w};\n`).join("");
  await writeFile(join(wit, "actor.wit"), `package portal:test-actor;\n\nworld actor {\n${world}}\n`);
  for (const name of await readdir(builtin)) {
    await cp(join(builtin, name), join(wit, "deps", name), { recursive: true });
  }
  for (const name of await readdir(ours)) {
    await cp(join(ours, name), join(wit, "deps", name), { recursive: true });
  }
  const { component } = await componentize({
    sourcePath: resolve(source),
    witPath: wit,
    worldName: "actor",
  });
  await writeFile(out, component);
} finally {
  await rm(wit, { recursive: true, force: true });
}
