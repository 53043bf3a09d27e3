"""Load test of the HTTP service on loopback with a native load generator (wrk), before and after a change.

Starts ``costsheet serve`` (the command users run, access log included) from
a source tree in a child process on 127.0.0.1 (never another interface) and
drives it with ``wrk`` (``apt-get install -y wrk``; a Lua script posts the
formulas).  The Python client this benchmark used before was itself the
bottleneck.  Two scenarios per source tree:

1. formula validation at 1, 4 and 32 connections: requests per second, p50, p99;
2. a heavy request (the 5 KB diamond BOM of issue 8, ``POST /v1/calculate``)
   while 4 connections poll ``GET /health``: the peak resident memory of the
   server and its workers, and the p99 of ``/health``.

``--baseline SRC`` runs the same scenarios on another source tree (e.g. the
main checkout's ``src``), interleaved round by round with this one; each
figure is the best of ``--rounds`` rounds.

    PYTHONPATH=src python benchmarks/bench_service.py [--baseline OLD/src] [--seconds 8] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"  # loopback only
HERE = Path(__file__).resolve().parents[1]
FORMULAS = ["10 % A", "A + B", "15 % C", "2 § (C + D)", "C + D + E", "(A + B) * 2 - 4 % (C - 1)", "2 § (C + X"]
CLIENTS = (1, 4, 32)
POST_SCRIPT = """
local bodies = {%s}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """``costsheet serve`` from the source tree ``src`` on a free loopback port."""

    def __init__(self, src: str) -> None:
        self.port = _free_port()
        env = dict(os.environ, PYTHONPATH=src)
        code = "from costsheet.cli import main; main()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "serve", "--host", HOST, "--port", str(self.port), "--no-history"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://{HOST}:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"the server from {src} did not start")
        self._warm_up()

    def _warm_up(self) -> None:
        """Four ruleset checks at once: each takes its own worker and waits until it has loaded the language."""
        body = b'{"text": "vendor V-1 \\"Supplier\\"\\n"}'

        def check() -> None:
            request = urllib.request.Request(
                f"{self.url}/v1/ruleset/validate", data=body, headers={"content-type": "application/json"}
            )
            try:
                urllib.request.urlopen(request, timeout=60).close()
            except OSError:
                pass

        threads = [threading.Thread(target=check) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.5)

    def rss_bytes(self) -> int:
        pids = [self.process.pid]
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                pass
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, clients: int, seconds: float, script: str | None = None) -> dict[str, float]:
    """req/s, p50 and p99 (ms) and the count of non-2xx answers of one wrk run."""
    command = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds:g}s", "--latency", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
    if script:
        command[1:1] = ["-s", lua.name]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    found = {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _milliseconds(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _milliseconds(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "non2xx": float(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0.0,
    }
    return found


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def formula_script() -> str:
    import json

    bodies = [json.dumps({"formula": f, "rows": ["A", "B", "C", "D", "E"]}) for f in FORMULAS]
    return POST_SCRIPT % ", ".join(_lua_string(b) for b in bodies)


def heavy_scenario(server: Server, body: bytes, seconds: float) -> dict[str, float]:
    """Peak RSS (MB) while one heavy request runs, and /health under 4 connections meanwhile."""
    peak = 0
    stop = threading.Event()
    answer: list[str] = []

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, server.rss_bytes())
            stop.wait(0.05)

    def heavy() -> None:
        request = urllib.request.Request(
            f"{server.url}/v1/calculate", data=body, headers={"content-type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=seconds + 30) as response:
                answer.append(str(response.status))
        except urllib.error.HTTPError as error:
            answer.append(str(error.code))
        except OSError as error:
            answer.append(type(error).__name__)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threading.Thread(target=heavy, daemon=True).start()
    time.sleep(0.2)
    health = wrk(f"{server.url}/health", 4, seconds)
    stop.set()
    sampler.join()
    return {
        "peak_mb": peak / 2**20,
        "health_p99": health["p99"],
        "health_rate": health["rate"],
        "answer": answer[0] if answer else "none yet",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="another source tree to compare with (e.g. /work/main/src)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="rounds; each figure is the best round")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    sys.path.insert(0, str(HERE / "tests" / "service"))
    import json

    from service_samples import diamond

    heavy_body = json.dumps({"text": diamond(20), "item": "A00"}).encode()
    trees = {"after": str(HERE / "src")}
    if args.baseline:
        trees = {"before": args.baseline, **trees}
    best: dict[tuple[str, str], dict[str, float]] = {}
    script = formula_script()
    for round_ in range(args.rounds):
        for name, src in trees.items():  # interleaved: before, after, before, after …
            server = Server(src)
            try:
                for clients in CLIENTS:
                    figures = wrk(f"{server.url}/v1/formula/validate", clients, args.seconds, script)
                    key = (name, f"formula x{clients}")
                    if key not in best or figures["rate"] > best[key]["rate"]:
                        best[key] = figures
            finally:
                server.stop()
            server = Server(src)  # a fresh server: the heavy request may leave the old one busy
            try:
                figures = heavy_scenario(server, heavy_body, args.seconds)
            finally:
                server.stop()
            key = (name, "heavy")
            if key not in best or figures["health_p99"] < best[key]["health_p99"]:
                best[key] = figures
            print(f"round {round_ + 1} {name}: done", file=sys.stderr)
    print(f"loopback, wrk, {args.seconds:g} s per run, best of {args.rounds} rounds, {os.cpu_count()} CPUs")
    print(f"{'tree':<7} {'scenario':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for (name, scenario), f in best.items():
        if scenario == "heavy":
            continue
        print(f"{name:<7} {scenario:<12} {f['rate']:>8.0f} {f['p50']:>8.2f} {f['p99']:>8.2f} {f['non2xx']:>8.0f}")
    for name in trees:
        f = best[(name, "heavy")]
        print(
            f"{name:<7} heavy diamond: peak RSS {f['peak_mb']:.0f} MB, /health p99 {f['health_p99']:.1f} ms at "
            f"{f['health_rate']:.0f} req/s, heavy answer {f['answer']}"
        )
    if args.baseline:
        for clients in CLIENTS:
            ratio = best[("after", f"formula x{clients}")]["rate"] / best[("before", f"formula x{clients}")]["rate"]
            print(f"ratio after/before, formula x{clients}: {ratio:.2f}")


if __name__ == "__main__":
    main()
