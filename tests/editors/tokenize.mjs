// Tokenizes files with a TextMate grammar the way VS Code does (vscode-textmate on the
// Oniguruma regular expression engine), for tests/editors/test_textmate.py.
//
//   node tests/editors/tokenize.mjs GRAMMAR.json FILE...
//   node tests/editors/tokenize.mjs GRAMMAR.json --serve
//   node tests/editors/tokenize.mjs GRAMMAR.json --time FILE
//
// Prints one JSON object: {"FILE": [[[start, end, [scope, ...]], ...], ...]}, one list of
// tokens per line (columns in UTF-16 code units, end exclusive).  With --serve it reads one
// JSON string (a file's text) per line of standard input and answers each with one line:
// that text's list of lines of tokens.  With --time it tokenizes FILE once to compile the
// grammar's regular expressions, then once more timed, and prints {"lines": N, "seconds": S,
// "slowest_line_ms": M} (benchmarks/bench_textmate.py).  Exits 1 with a message when the
// grammar does not load or a line is not tokenized completely.

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

function tokenizeText(text, name) {
  let stack = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line, index) => {
    const result = grammar.tokenizeLine(line, stack, 10000);
    if (result.stoppedEarly) {
      console.error(`${name}:${index + 1}: tokenizing stopped early`);
      process.exit(1);
    }
    stack = result.ruleStack;
    return result.tokens
      .map((t) => [t.startIndex, Math.min(t.endIndex, line.length), t.scopes])
      .filter(([start, end]) => start < end);
  });
}

if (files[0] === "--time") {
  const lines = fs.readFileSync(files[1], "utf8").split(/\r?\n/);
  let stack = vsctm.INITIAL;
  for (const line of lines) {
    stack = grammar.tokenizeLine(line, stack).ruleStack; // warm-up: compiles every rule's scanner
  }
  stack = vsctm.INITIAL;
  let slowest = 0;
  const start = process.hrtime.bigint();
  for (const line of lines) {
    const before = process.hrtime.bigint();
    stack = grammar.tokenizeLine(line, stack).ruleStack;
    slowest = Math.max(slowest, Number(process.hrtime.bigint() - before) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ lines: lines.length, seconds, slowest_line_ms: slowest }));
} else if (files.length === 1 && files[0] === "--serve") {
  const readline = await import("node:readline");
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of input) {
    process.stdout.write(JSON.stringify(tokenizeText(JSON.parse(line), "<stdin>")) + "\n");
  }
} else {
  const out = {};
  for (const file of files) {
    out[file] = tokenizeText(fs.readFileSync(file, "utf8"), file);
  }
  process.stdout.write(JSON.stringify(out));
}
