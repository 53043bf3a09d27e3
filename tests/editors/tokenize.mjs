// Tokenizes files with a TextMate grammar the way VS Code does (vscode-textmate on the
// Oniguruma regular expression engine), for tests/editors/test_textmate.py.
//
//   node tests/editors/tokenize.mjs GRAMMAR.json FILE...
//
// Prints one JSON object: {"FILE": [[[start, end, [scope, ...]], ...], ...]}, one list of
// tokens per line (columns in UTF-16 code units, end exclusive).  Exits 1 with a message
// when the grammar does not load or a line is not tokenized completely.

import fs from "node:fs";
import { createRequire } from "node:module";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const require = createRequire(import.meta.url);
const [grammarPath, ...files] = process.argv.slice(2);
if (!grammarPath) {
  console.error("usage: node tokenize.mjs GRAMMAR.json FILE...");
  process.exit(2);
}

const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));

const raw = vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath);
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async (scopeName) => (scopeName === raw.scopeName ? raw : null),
});
const grammar = await registry.loadGrammar(raw.scopeName);

const out = {};
for (const file of files) {
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  let stack = vsctm.INITIAL;
  out[file] = lines.map((line, index) => {
    const result = grammar.tokenizeLine(line, stack, 10000);
    if (result.stoppedEarly) {
      console.error(`${file}:${index + 1}: tokenizing stopped early`);
      process.exit(1);
    }
    stack = result.ruleStack;
    return result.tokens
      .map((t) => [t.startIndex, Math.min(t.endIndex, line.length), t.scopes])
      .filter(([start, end]) => start < end);
  });
}
process.stdout.write(JSON.stringify(out));
