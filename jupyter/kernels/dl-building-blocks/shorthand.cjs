// tslab 1.0.22 rewrites a reference to a variable from an earlier cell into `exports.name`, but misses
// object shorthand: `{ epochs }` in a later cell throws "ReferenceError: epochs is not defined". Lessons
// (and students) write `check("id", { stepsPerEpoch })`, so the kit's kernel expands every shorthand
// property to its long form (`{ epochs: epochs }`, the same meaning) before tslab converts a cell.
"use strict";

/** Returns `src` with each `{ name }` object-literal shorthand written `{ name: name }`. */
function expandShorthand(ts, src) {
  const file = ts.createSourceFile("cell.ts", src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const inserts = [];
  const visit = (node) => {
    if (ts.isShorthandPropertyAssignment(node) && !node.objectAssignmentInitializer) {
      inserts.push({ at: node.name.end, text: `: ${node.name.text}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = src;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** Wraps tslab's createConverter so that every converted cell has its shorthand expanded first. */
function installShorthandFix(converterModule, ts) {
  const original = converterModule.createConverter;
  if (original.dlbbShorthandFix) return;
  const patched = (options) => {
    const converter = original(options);
    const convert = converter.convert;
    converter.convert = (prevDecl, src) => convert(prevDecl, expandShorthand(ts, src));
    return converter;
  };
  patched.dlbbShorthandFix = true;
  converterModule.createConverter = patched;
}

module.exports = { expandShorthand, installShorthandFix };
