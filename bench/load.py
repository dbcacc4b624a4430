"""Load one URL for a fixed time from another process; report throughput and latency.

wrk is used when it is installed: written in C, one thread keeps 10 keep-alive
connections busy while using little of the CPU the app needs (on a 2-core machine
the load generator competes with the gunicorn workers, so it must be light). Its
percentiles come from `bench/wrk_report.lua`. Without wrk, a small Python load
generator runs in a separate process (multiprocessing): one thread per
connection, `http.client` with keep-alive. It costs more CPU per request, so its
figures are lower bounds; the results name the tool that produced them.

A request body may hold `__N__`, replaced by a number unique to each request, and a
header value `__IP__`, replaced by an address unique to each request.
"""

import http.client
import json
import multiprocessing
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


@dataclass
class Load:
    """What to send: method, URL, extra headers and body, over how many connections for how long."""

    url: str
    method: str = "GET"
    headers: dict[str, str] | None = None
    body: str = ""
    connections: int = 10
    seconds: float = 5.0


@dataclass
class Result:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # failed connections, timeouts and answers with status 400 or above
    tool: str
    received_bytes: int = 0  # all the answers' bytes as they came, status lines and headers too

    def as_dict(self) -> dict:
        return {key: round(value, 2) if isinstance(value, float) else value for key, value in asdict(self).items()}


def available_tool(preferred: str = "auto") -> str:
    if preferred == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if preferred == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk); use --tool python")
    return preferred


def run(load: Load, tool: str = "auto") -> Result:
    tool = available_tool(tool)
    return _run_wrk(load) if tool == "wrk" else _run_python(load)


def _run_wrk(load: Load) -> Result:
    headers = [f"{name}: {value}" for name, value in (load.headers or {}).items()]
    command = [
        "wrk",
        "-t1",
        f"-c{load.connections}",
        f"-d{max(1, round(load.seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_SCRIPT),
        load.url,
        "--",
        load.method,
        load.body,
        *headers,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return Result(
        requests=data["requests"],
        seconds=seconds,
        rps=data["requests"] / seconds,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=sum(data["errors"].values()),
        tool="wrk",
        received_bytes=data["bytes"],
    )


def _run_python(load: Load) -> Result:
    """Run the Python load generator in its own process, so it never shares a GIL with anything else."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_python_worker, args=(load, queue))
    process.start()
    latencies, errors, seconds, received = queue.get(timeout=load.seconds + 60)
    process.join()
    latencies.sort()
    return Result(
        requests=len(latencies),
        seconds=seconds,
        rps=len(latencies) / seconds,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        errors=errors,
        tool="python",
        received_bytes=received,
    )


def impossible_tail(result: Result, connections: int) -> bool:
    """Whether the run's p99 cannot be true. At least 1 % of its requests took that long and
    another 49 % at least the p50, and on `connections` keep-alive connections, one request at
    a time each, that is more connection time than the run had (Little's law: 94 of 9,360
    requests at 518 ms are 49 s on 10 connections in 3 s). wrk times requests by the wall
    clock, and on a virtual machine it now and then reports such tails (wg/wrk#438)."""
    least_busy_ms = result.requests * (0.01 * result.p99_ms + 0.49 * result.p50_ms)
    return least_busy_ms / 1000 > connections * result.seconds


def at_share(ordered: list[float], share: float) -> float:
    """The value `share` of the way through sorted values (0.99: the p99), by nearest rank."""
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def percentile(sorted_values: list[float], percent: float) -> float:
    """Milliseconds at `percent` of sorted seconds; 0 when there are none."""
    return at_share(sorted_values, percent / 100) * 1000 if sorted_values else 0.0


def _python_worker(load: Load, queue) -> None:
    parts = urlsplit(load.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {**(load.headers or {})}
    deadline = time.perf_counter() + load.seconds
    latencies: list[float] = []
    errors, received = [0], [0]
    lock = threading.Lock()

    def connection_loop(number: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, failed, sent, read = [], 0, 0, 0
        while time.perf_counter() < deadline:
            sent += 1
            body = load.body.replace("__N__", f"p{number}x{sent}") if load.body else None
            n = number * 1_000_000 + sent
            address = f"172.{16 + n // 65536 % 16}.{n // 256 % 256}.{n % 256}"
            numbered = {name: value.replace("__IP__", address) for name, value in headers.items()}
            started = time.perf_counter()
            try:
                conn.request(load.method, path, body=body, headers=numbered)
                response = conn.getresponse()
                # What wrk counts: the body, and the status line and headers as they were parsed.
                head = f"HTTP/1.1 {response.status} {response.reason}\r\n{response.msg}"
                read += len(response.read()) + len(head.encode())
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            mine.append(time.perf_counter() - started)
            if response.status >= 400:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed
            received[0] += read

    started = time.perf_counter()
    threads = [threading.Thread(target=connection_loop, args=(n,)) for n in range(load.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors[0], time.perf_counter() - started, received[0]))
