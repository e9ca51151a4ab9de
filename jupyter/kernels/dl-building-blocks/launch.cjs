// Starts the kit's TypeScript kernel: the tslab installed in this repository's node_modules.
// Jupyter finds this kernel through JUPYTER_PATH=<repo>/jupyter (set by `npm start` and the
// test runners) and passes its own folder as {resource_dir}, so no absolute path is stored.
"use strict";
const path = require("path");
const fs = require("fs");

const root = path.resolve(__dirname, "..", "..", "..");
const configPath = process.argv[2];
const tslabMain = path.join(root, "node_modules", "tslab", "dist", "main.js");
if (!configPath) {
  console.error("usage: node launch.cjs CONNECTION_FILE");
  process.exit(2);
}
if (!fs.existsSync(tslabMain)) {
  console.error(`dl-building-blocks: ${tslabMain} is missing; run \`npm install\` in ${root}`);
  process.exit(1);
}
// `npm install <pkg>` prunes the self-link that `npm install` (prepare) made; put it back.
const selfLink = path.join(root, "node_modules", "dl-building-blocks");
try {
  fs.lstatSync(selfLink);
} catch {
  try {
    fs.symlinkSync("..", selfLink, "dir");
  } catch (e) {
    console.error(`dl-building-blocks: cannot create ${selfLink}: ${e.message}`);
  }
}
// The Korean lessons live in notebooks/ko/ (a kit's notebooks/ko/ too); Jupyter starts a notebook's
// kernel in the notebook's folder, so a kernel started there speaks Korean (src/language/language.ts).
// DLBB_LANG set by the caller (the grader, a test) wins.
if (!process.env.DLBB_LANG && path.basename(process.cwd()) === "ko") process.env.DLBB_LANG = "ko";
// tslab's zeromq sockets: queued sends, and no receive or send while a bind is in progress (sockets.cjs).
const { installSocketFixes } = require("./sockets.cjs");
installSocketFixes(require(require.resolve("zeromq", { paths: [path.dirname(tslabMain)] })));
const typescript = require(path.join(root, "node_modules", "@tslab", "typescript-for-tslab"));
const { installShorthandFix } = require("./shorthand.cjs");
installShorthandFix(require(path.join(root, "node_modules", "tslab", "dist", "converter.js")), typescript);
// TypeScript's timers behind tslab's one-slot fake timer: a `node_modules` appearing next to the
// notebook no longer breaks every later cell with "Unexpected pending rebuildTimer" (watch-timers.cjs).
require("./watch-timers.cjs").installWatchTimerFix(typescript);
// Hooks around every cell: memory released after each cell, a graceful interrupt, explained errors
// (issue 19; cells.cjs and src/runtime/memory.ts, src/runtime/interrupt.ts).
const { installCellHooks, kernelState } = require("./cells.cjs");
kernelState();
installCellHooks(require(path.join(root, "node_modules", "tslab", "dist", "executor.js")), root);
require(tslabMain).startKernel({ configPath, enableFindLocal: false });
