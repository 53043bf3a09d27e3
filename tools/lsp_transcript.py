"""A transcript of a real client session with ``costsheet lsp`` (for docs/editors.md).

Starts the server over stdio, speaks JSON-RPC to it as an editor does (Content-Length framed
messages), opens the bundled demo, and asks for a hover over an item, a hover over a condition
line, the inlay hints of a charge condition, the code lenses of the file and a completion;
prints each request and the parts of the answer a person reads.

Run: ``PYTHONPATH=src python tools/lsp_transcript.py [RULESET]`` (default rulesets/demo.cost).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Client:
    def __init__(self, command: list[str]):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        length = 0
        while (line := self.process.stdout.readline().strip()) != b"":
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: dict) -> object:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result")

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, method: str) -> dict:
        while True:
            message = self.receive()
            if message.get("method") == method:
                return message["params"]


def _position(lines: list[str], fragment: str, within: str) -> dict:
    line = next(i for i, text in enumerate(lines) if within in text)
    return {"line": line, "character": lines[line].index(fragment) + 1}


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "rulesets" / "demo.cost").resolve()
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = path.as_uri()
    document = {"textDocument": {"uri": uri}}
    client = Client([sys.executable, "-c", "from costsheet.cli import main; main()", "lsp"])
    try:
        print("$ costsheet lsp        # started by the editor; messages abbreviated\n")
        client.request("initialize", {"processId": None, "rootUri": path.parent.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "costsheet", "version": 1, "text": text}},
        )
        published = client.wait_for("textDocument/publishDiagnostics")
        print(f"--> textDocument/didOpen {path.name}")
        print(f"<-- textDocument/publishDiagnostics {len(published['diagnostics'])} diagnostics\n")

        position = _position(lines, "ICO-0001", 'item ICO-0001 "Racing bike"')
        hover = client.request("textDocument/hover", {**document, "position": position})
        print(f"--> textDocument/hover line {position['line'] + 1} (item ICO-0001)")
        print("<-- " + hover["contents"]["value"].replace("\n", "\n    ") + "\n")

        line = next(i for i, text in enumerate(lines) if '"Maintenance"' in text)
        hover = client.request("textDocument/hover", {**document, "position": {"line": line, "character": 2}})
        print(f"--> textDocument/hover line {line + 1} ({lines[line].strip()})")
        print("<-- " + hover["contents"]["value"].replace("\n", "\n    ") + "\n")

        first = next(i for i, text in enumerate(lines) if text.startswith("condition charge LP-RETAIL"))
        last = first + 12
        hints = client.request(
            "textDocument/inlayHint",
            {**document, "range": {"start": {"line": first, "character": 0}, "end": {"line": last, "character": 0}}},
        )
        print(f"--> textDocument/inlayHint lines {first + 1}-{last + 1}")
        for hint in hints:
            at = hint["position"]["line"]
            print(f"<-- {lines[at].rstrip():<80} {hint['label']}")
        print()

        lenses = client.request("textDocument/codeLens", document)
        print("--> textDocument/codeLens")
        for lens in lenses:
            if lens["command"]["title"] != "explain":
                at = lens["range"]["start"]["line"]
                print(f"<-- {lines[at].rstrip():<32} {lens['command']['title']} · explain")
        print()

        line = next(i for i, text in enumerate(lines) if text.startswith("condition material M-STD"))
        changed = "\n".join([*lines[: line + 1], "  direct ", *lines[line + 1 :]])
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]},
        )
        found = client.request(
            "textDocument/completion", {**document, "position": {"line": line + 1, "character": len("  direct ")}}
        )
        labels = [item["label"] for item in found["items"]]
        print(f"--> textDocument/completion after `  direct ` in condition M-STD (line {line + 2})")
        print(f"<-- {', '.join(labels)}")
        client.request("shutdown", {})
        client.notify("exit", {})
    finally:
        client.process.wait(timeout=10)


if __name__ == "__main__":
    main()
