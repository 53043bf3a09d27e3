// The costsheet extension for VS Code: the language server `costsheet lsp`, over standard
// input and output, through vscode-languageclient.  Highlighting needs none of this: it comes
// from the grammar in syntaxes/ (package.json, "contributes").  Plain JavaScript, no build step.
"use strict";

const vscode = require("vscode");

const SECTION = "costsheet";
const OUTPUT = "costsheet language server";

/** @type {import("vscode-languageclient/node").LanguageClient | undefined} */
let client;

/** How the server is started, from the settings costsheet.server.command and .args. */
function serverOptions(settings, TransportKind) {
  const command = settings.get("server.command", "costsheet");
  const args = settings.get("server.args", ["lsp"]);
  const executable = { command, args, transport: TransportKind.stdio };
  return { run: executable, debug: executable };
}

function clientOptions(settings) {
  return {
    documentSelector: [
      { scheme: "file", language: "costsheet" },
      { scheme: "untitled", language: "costsheet" },
    ],
    // the server's settings (docs/editors.md, "Settings"): sent at the start and on every change
    initializationOptions: { item: settings.get("item", ""), masterData: settings.get("masterData", []) },
    synchronize: {
      configurationSection: SECTION,
      // included rulesets and CSV master data change the numbers of the open file
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{cost,csv}"),
    },
  };
}

async function start() {
  const settings = vscode.workspace.getConfiguration(SECTION);
  if (!settings.get("server.enabled", true)) {
    return;
  }
  let languageclient;
  try {
    languageclient = require("vscode-languageclient/node");
  } catch (error) {
    vscode.window.showWarningMessage(
      "costsheet: highlighting works, but the language server needs the extension's packages: " +
        "run `npm ci --omit=dev` in the extension's folder (docs/editors.md).",
    );
    return;
  }
  const options = serverOptions(settings, languageclient.TransportKind);
  client = new languageclient.LanguageClient(SECTION, OUTPUT, options, clientOptions(settings));
  try {
    await client.start();
  } catch (error) {
    const { command, args } = options.run;
    vscode.window.showWarningMessage(
      `costsheet: the language server \`${[command, ...args].join(" ")}\` did not start (${error.message}). ` +
        "Highlighting works without it; set costsheet.server.command to the costsheet program " +
        "installed with the lsp extra (docs/editors.md).",
    );
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      // it never started; nothing to stop
    }
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("costsheet.restartServer", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions };
