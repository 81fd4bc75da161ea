// Lints a directory of .py files with ruff compiled to WebAssembly, timing only the linting.
//
// Usage: node ruff_wasm_check.mjs NODE_MODULES_DIR PY_DIR [PASSES]
//
// NODE_MODULES_DIR holds @astral-sh/ruff-wasm-nodejs (npm install --prefix DIR ...). One
// Workspace selects F821 (undefined name), F401 (unused import), F811 (redefined unused name)
// and F405 (name maybe from a star import); it first checks a snippet with known findings and
// stops if they are missing, so a silently empty rule selection cannot pass for speed. Then every
// *.py of PY_DIR is read into memory, and only then the clock starts: a pass is one
// Workspace.check(source) per file, in name order, on one thread, and the files are checked in
// PASSES passes (default 5). No file reading, notebook conversion or process start is timed.
// The first pass is slow: V8 compiles the 10 MB of WebAssembly function by function as it is
// first called, then recompiles hot functions optimized in the background, so passes get faster
// until the code is all optimized; the best pass is ruff-wasm's best case.
// Prints one JSON object: version, files, bytes (UTF-8 of the sources), load_s (module load and
// Workspace creation), passes (each {wall_s, cpu_s}; CPU time is the whole process, background
// compiler threads included) and findings per code from the first pass (a syntax error is
// "invalid-syntax"). Exit 0, 1 when the self-check fails or a pass finds something else than the
// first, 2 on bad usage or a missing package.

import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const RULES = ["F821", "F401", "F811", "F405"];

function fail(code, message) {
  console.error(`ruff_wasm_check: ${message}`);
  process.exit(code);
}

if (process.argv.length < 4 || process.argv.length > 5) {
  fail(2, "usage: node ruff_wasm_check.mjs NODE_MODULES_DIR PY_DIR [PASSES]");
}
const [modulesDir, pyDir] = process.argv.slice(2, 4).map((p) => resolve(p));
const passCount = Number(process.argv[4] ?? 5);
if (!Number.isInteger(passCount) || passCount < 1) {
  fail(2, `PASSES must be a positive integer, not ${process.argv[4]}`);
}

const loadStart = process.hrtime.bigint();
let ruff;
try {
  // createRequire resolves from a file inside modulesDir, so the package need not sit beside
  // this script.
  ruff = createRequire(join(modulesDir, "resolver.js"))("@astral-sh/ruff-wasm-nodejs");
} catch (e) {
  fail(2, `cannot load @astral-sh/ruff-wasm-nodejs from ${modulesDir}: ${e.message}`);
}
const workspace = new ruff.Workspace({ lint: { select: RULES } }, ruff.PositionEncoding.Utf8);
const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

// The self-check: every selected rule must fire on these snippets. A star import turns every
// unknown name into F405, so F821 needs a snippet without one.
const probes = [
  ["import os\nimport sys\nimport sys\nprint(undefined_name)\n", "F401,F401,F811,F821"],
  ["from helpers import *\nprint(maybe_starred)\n", "F405"],
];
for (const [probe, expected] of probes) {
  const got = workspace.check(probe).map((d) => d.code).sort().join(",");
  if (got !== expected) {
    fail(1, `self-check: expected findings ${expected}, got ${got || "none"}`);
  }
}

const names = readdirSync(pyDir).filter((n) => n.endsWith(".py")).sort();
const sources = names.map((n) => readFileSync(join(pyDir, n), "utf8"));
const bytes = sources.reduce((sum, s) => sum + Buffer.byteLength(s, "utf8"), 0);

// One pass over every source; returns its times and the number of findings per code.
function checkAll() {
  const findings = {};
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  for (const source of sources) {
    for (const diagnostic of workspace.check(source)) {
      const code = diagnostic.code ?? "other";
      findings[code] = (findings[code] ?? 0) + 1;
    }
  }
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  return { time: { wall_s: wall, cpu_s: (cpu.user + cpu.system) / 1e6 }, findings };
}

const passes = [];
let findings;
let findingsKey;
for (let i = 0; i < passCount; i++) {
  const pass = checkAll();
  passes.push(pass.time);
  const key = JSON.stringify(Object.entries(pass.findings).sort());
  if (i === 0) {
    [findings, findingsKey] = [pass.findings, key];
  } else if (key !== findingsKey) {
    fail(1, `pass ${i + 1} found ${key}, the first pass ${findingsKey}`);
  }
}

console.log(JSON.stringify({
  version: ruff.Workspace.version(),
  files: names.length,
  bytes,
  load_s: loadSeconds,
  passes,
  findings,
}));
