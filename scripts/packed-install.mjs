#!/usr/bin/env node
/**
 * Installs the packages as an integrator gets them: `npm pack` each library, install the tarballs into a fresh
 * project outside the workspace (with npm, then with pnpm's strict layout, where a package sees only what it
 * declares), and load every public entry point from ESM and from CommonJS.
 *
 * Fails when a tarball misses a file its `exports` names, when an internal dependency does not resolve from the
 * tarballs alone, when an entry point cannot be imported or required, or when `@keywarden/testing/vitest` (ESM
 * only) can be required at all. Needs the packages built (`npm run build`). Usage:
 *
 *   node scripts/packed-install.mjs [npm|pnpm ...]   (default: both)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const managers = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["npm", "pnpm"];
const pnpmBin = join(root, "node_modules", "pnpm", "bin", "pnpm.cjs");

/** Entry points that exist only for ESM: requiring them must fail with ERR_PACKAGE_PATH_NOT_EXPORTED. */
const esmOnly = new Set(["@keywarden/testing/vitest"]);

const libraries = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
    return { dir: join(root, "packages", dir), manifest };
  })
  .filter(({ manifest }) => manifest.private !== true)
  .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));

const work = mkdtempSync(join(tmpdir(), "keywarden-packed-"));
let failures = 0;
try {
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const tarballOf = new Map();
  for (const { dir, manifest } of libraries) {
    if (!existsSync(join(dir, "dist"))) throw new Error(`${manifest.name} is not built: run \`npm run build\` first.`);
    const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tarballs], dir));
    tarballOf.set(manifest.name, join(tarballs, packed.filename));
    // Internal dependencies are real ranges on the current version (kept in step by changesets), never "*".
    for (const field of ["dependencies", "peerDependencies"]) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        const sibling = libraries.find((library) => library.manifest.name === name);
        if (sibling && range !== `^${sibling.manifest.version}`) fail(`${manifest.name}: ${field}.${name} is "${range}", expected "^${sibling.manifest.version}"`);
      }
    }
    for (const file of ["LICENSE", "README.md", "package.json"]) {
      if (!packed.files.some((entry) => entry.path === file)) fail(`${manifest.name}: the tarball has no ${file}`);
    }
  }

  for (const manager of managers) {
    const project = join(work, `consumer-${manager}`);
    mkdirSync(project);
    const fileSpecs = Object.fromEntries([...tarballOf].map(([name, tarball]) => [name, `file:${relative(project, tarball)}`]));
    // Every internal dependency range (`^0.x.y`) must be satisfied by the tarballs, never by the registry.
    const consumer = {
      name: `keywarden-consumer-${manager}`,
      private: true,
      version: "0.0.0",
      dependencies: { ...fileSpecs, msw: peerRange("msw"), vitest: peerRange("vitest") },
      overrides: fileSpecs,
      pnpm: { overrides: fileSpecs },
    };
    writeFileSync(join(project, "package.json"), `${JSON.stringify(consumer, null, 2)}\n`);
    console.log(`[${manager}] installing ${tarballOf.size} tarballs into ${project}`);
    if (manager === "npm") {
      run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], project);
    } else if (manager === "pnpm") {
      writeFileSync(join(project, ".npmrc"), "node-linker=isolated\nstrict-peer-dependencies=false\n");
      run(process.execPath, [pnpmBin, "install", "--reporter=silent", "--config.confirmModulesPurge=false"], project);
    } else {
      throw new Error(`unknown package manager ${manager} (use npm or pnpm)`);
    }
    checkInstalled(manager, project);
  }
} finally {
  if (process.env["KEEP_PACKED"] === undefined) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}

if (failures > 0) {
  console.error(`packed install: ${failures} problem(s)`);
  process.exit(1);
}
console.log("packed install: every entry point of every package loads from ESM and CommonJS with npm and pnpm");

function checkInstalled(manager, project) {
  const entries = [];
  for (const { manifest } of libraries) {
    const installed = join(project, "node_modules", manifest.name);
    const installedManifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    for (const [subpath, target] of Object.entries(installedManifest.exports ?? {})) {
      for (const file of targets(target)) {
        if (file.includes("*")) continue;
        if (!existsSync(join(installed, file))) fail(`[${manager}] ${manifest.name} exports ${subpath} -> ${file}, which the tarball does not ship`);
      }
      if (subpath === "./package.json" || subpath.endsWith(".json")) continue;
      entries.push(subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`);
    }
  }

  const esm = [
    `const entries = ${JSON.stringify(entries)};`,
    "const failed = [];",
    "for (const entry of entries) {",
    "  try { const mod = await import(entry); if (Object.keys(mod).length === 0) failed.push(`${entry}: no exports`); }",
    "  catch (error) { failed.push(`${entry}: ${error.message}`); }",
    "}",
    "console.log(JSON.stringify(failed));",
  ].join("\n");
  const cjs = [
    `const entries = ${JSON.stringify(entries)};`,
    `const esmOnly = new Set(${JSON.stringify([...esmOnly])});`,
    "const failed = [];",
    "for (const entry of entries) {",
    "  try {",
    "    const mod = require(entry);",
    "    if (esmOnly.has(entry)) failed.push(`${entry}: is ESM only but require() loaded it`);",
    "    else if (Object.keys(mod).length === 0) failed.push(`${entry}: no exports`);",
    "  } catch (error) {",
    "    if (!(esmOnly.has(entry) && error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')) failed.push(`${entry}: ${error.message}`);",
    "  }",
    "}",
    "console.log(JSON.stringify(failed));",
  ].join("\n");
  writeFileSync(join(project, "load.mjs"), esm);
  writeFileSync(join(project, "load.cjs"), cjs);
  for (const [format, file] of [["ESM", "load.mjs"], ["CJS", "load.cjs"]]) {
    const failed = JSON.parse(run(process.execPath, [file], project).trim().split("\n").pop());
    for (const problem of failed) fail(`[${manager}] ${format} ${problem}`);
    console.log(`[${manager}] ${format}: ${entries.length - failed.length}/${entries.length} entry points load`);
  }
}

function targets(target) {
  if (typeof target === "string") return [target];
  if (target === null || typeof target !== "object") return [];
  return Object.values(target).flatMap(targets);
}

function peerRange(name) {
  const manifest = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"));
  return manifest.version;
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, npm_config_update_notifier: "false" } });
}

function fail(message) {
  failures += 1;
  console.error(`FAIL ${message}`);
}
