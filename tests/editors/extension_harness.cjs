// Runs editors/vscode/extension.js outside VS Code, for tests/editors/test_vscode_extension.py.
//
//   node tests/editors/extension_harness.cjs SCENARIO.json
//
// The scenario says what the stand-in `vscode` module returns for settings, whether the
// stand-in language client starts, fails to start or is missing, and which commands to run
// after activation.  Prints what the extension did, as JSON: the language clients it made
// (with their server and client options), the warnings it showed, the commands it
// registered, how often clients were started and stopped.
//
//   node tests/editors/extension_harness.cjs --real-client
//
// loads the real vscode-languageclient of editors/vscode/node_modules (npm ci) with a
// stand-in `vscode`, and prints the parts of it that extension.js uses.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

const EXTENSION = path.resolve(__dirname, "..", "..", "editors", "vscode", "extension.js");
const realLoad = Module._load;

function standIn() {
  const any = new Proxy(function () {}, {
    get: (target, key) => (key === "prototype" ? {} : any),
    construct: () => any,
    apply: () => any,
  });
  return any;
}

async function realClient() {
  Module._load = function (request, parent, isMain) {
    return request === "vscode" ? standIn() : realLoad.call(this, request, parent, isMain);
  };
  const fromExtension = Module.createRequire(EXTENSION);
  const languageclient = fromExtension("vscode-languageclient/node");
  return {
    LanguageClient: typeof languageclient.LanguageClient,
    start: typeof languageclient.LanguageClient.prototype.start,
    stop: typeof languageclient.LanguageClient.prototype.stop,
    stdio: languageclient.TransportKind.stdio,
  };
}

async function run(scenario) {
  const report = { clients: [], warnings: [], commands: [], starts: 0, stops: 0 };
  const handlers = { commands: {}, configuration: [] };
  const settings = scenario.settings || {};
  const vscode = {
    workspace: {
      getConfiguration: (section) => ({
        get: (key, fallback) => (`${section}.${key}` in settings ? settings[`${section}.${key}`] : fallback),
      }),
      createFileSystemWatcher: (glob) => ({ glob }),
      onDidChangeConfiguration: (handler) => {
        handlers.configuration.push(handler);
        return { dispose() {} };
      },
    },
    window: { showWarningMessage: (message) => report.warnings.push(message) },
    commands: {
      registerCommand: (name, handler) => {
        report.commands.push(name);
        handlers.commands[name] = handler;
        return { dispose() {} };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      report.clients.push({ id, name, serverOptions, clientOptions });
    }
    async start() {
      report.starts += 1;
      if (scenario.startFails) {
        throw new Error("spawn costsheet ENOENT");
      }
    }
    async stop() {
      report.stops += 1;
    }
  }
  const languageclient = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };
  Module._load = function (request, parent, isMain) {
    if (request === "vscode") {
      return vscode;
    }
    if (request === "vscode-languageclient/node") {
      if (scenario.clientMissing) {
        const error = new Error("Cannot find module 'vscode-languageclient/node'");
        error.code = "MODULE_NOT_FOUND";
        throw error;
      }
      return languageclient;
    }
    return realLoad.call(this, request, parent, isMain);
  };
  const extension = require(EXTENSION);
  const context = { subscriptions: [] };
  await extension.activate(context);
  for (const command of scenario.run || []) {
    await handlers.commands[command]();
  }
  if (scenario.changeSettings) {
    Object.assign(settings, scenario.changeSettings);
    for (const handler of handlers.configuration) {
      await handler({ affectsConfiguration: (section) => section === "costsheet.server" });
    }
  }
  if (scenario.deactivate) {
    await extension.deactivate();
  }
  report.subscriptions = context.subscriptions.length;
  return report;
}

(async () => {
  const argument = process.argv[2];
  const result = argument === "--real-client"
    ? await realClient()
    : await run(JSON.parse(fs.readFileSync(argument, "utf8")));
  process.stdout.write(JSON.stringify(result));
})().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
