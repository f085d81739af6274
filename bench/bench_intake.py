"""Intake speed against named anchors, printed as ratios (not a test).

    DATABASE_URL=postgres://... uv run python bench/bench_intake.py [--seconds 10]
        [--clients 8] [--rows 1000000]

1. API: `turntide serve` (gunicorn, TURNTIDE_WEB_WORKERS processes, production profile but
   plain HTTP) on loopback, on PostgreSQL. Keep-alive clients POST /api/v1/reports with 10
   URLs each (30% already known) for --seconds; the anchor is the same clients on GET
   /healthz, a bare Django view on the same server: the framework's ceiling. Goals: >= 0.5
   of the ceiling's requests/s, p99 < 100 ms.
2. Import: `turntide import reports` of --rows URLs with 30% duplicates, against
   PostgreSQL COPY of the same rows into a bare table. Goal: >= 0.3 of COPY's rate.

The benchmark migrates the database it is given and adds reports to it: point it at a
scratch database. All URLs are on reserved names. Give PostgreSQL production-sized memory
(the README's numbers: shared_buffers = 2GB, max_wal_size = 8GB); its defaults suit a laptop.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

HOSTS = [f"bench{i}.example" for i in range(500)]


def turntide(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "turntide.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def url_stream(rng: random.Random, known: list[str], duplicate_share: float = 0.3) -> str:
    if known and rng.random() < duplicate_share:
        return rng.choice(known)
    host, item = rng.choice(HOSTS), rng.randrange(10**9)
    url = f"http://{host}/gallery/{item}/img{rng.randrange(10**6)}.html"
    known.append(url)
    return url


BodyMaker = Callable[[random.Random, list[str]], bytes | None]


def no_body(_rng: random.Random, _known: list[str]) -> None:
    return None


def load(
    port: int,
    clients: int,
    seconds: float,
    target: tuple[str, str],
    headers: dict[str, str] | None = None,
    body_maker: BodyMaker = no_body,
) -> tuple[float, list[float]]:
    """Requests/s and latencies (s) of `clients` keep-alive connections for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    method, path = target

    def client(number: int) -> None:
        rng = random.Random(number)
        known: list[str] = []
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            body = body_maker(rng, known)
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{method} {path}: HTTP {response.status}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100)[98]


def bench_api(env: dict[str, str], clients: int, seconds: float) -> None:
    name = f"Bench {time.time_ns()}"
    turntide(env, "members", "create", name, "--services", "report")
    token = turntide(env, "members", "token", name, "--services", "report").strip()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "turntide.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env | {"TURNTIDE_API_REQUESTS_PER_MINUTE": "10000000"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        load(port, clients, 1.0, ("GET", "/healthz"))  # warm up the workers

        def report_body(rng: random.Random, known: list[str]) -> bytes:
            urls = [{"url": url_stream(rng, known)} for _ in range(10)]
            return json.dumps({"urls": urls}).encode()

        ceiling, ceiling_latencies = load(port, clients, seconds, ("GET", "/healthz"))
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        intake, intake_latencies = load(
            port, clients, seconds, ("POST", "/api/v1/reports"), headers, report_body
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    workers = env.get("TURNTIDE_WEB_WORKERS", "2")
    print(
        f"API on PostgreSQL: gunicorn, {workers} workers, {clients} clients, {seconds:.0f} s each"
    )
    for name, rate, latencies in (
        ("ceiling GET /healthz", ceiling, ceiling_latencies),
        ("POST /api/v1/reports, 10 URLs", intake, intake_latencies),
    ):
        print(f"  {name:31} {rate:8.0f} req/s   p99 {p99(latencies) * 1000:6.1f} ms")
    print(
        f"  ratio intake / ceiling          {intake / ceiling:8.2f}   (goal >= 0.5, p99 < 100 ms)"
    )


def bench_import(env: dict[str, str], rows: int) -> None:
    rng = random.Random(7)
    known: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reports.csv"
        with path.open("w") as handle:
            handle.write("url,received_at\n")
            for number in range(rows):
                handle.write(f"{url_stream(rng, known)},2025-01-01T00:00:{number % 60:02d}Z\n")
        with psycopg.connect(env["DATABASE_URL"]) as db:
            db.execute("CREATE TEMP TABLE bench_copy (url text, received_at timestamptz)")
            started = time.perf_counter()
            statement = "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            with db.cursor().copy(statement) as copy, path.open("rb") as source:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            copy_seconds = time.perf_counter() - started
        started = time.perf_counter()
        summary = turntide(env, "import", "reports", str(path))
        import_seconds = time.perf_counter() - started
    print(f"Import of {rows:,} URLs (30% duplicates) on PostgreSQL")
    print(f"  PostgreSQL COPY            {rows / copy_seconds:10.0f} rows/s ({copy_seconds:.1f} s)")
    rate = rows / import_seconds
    print(f"  turntide import reports    {rate:10.0f} rows/s ({import_seconds:.1f} s)")
    print(f"    {summary.strip()}")
    print(f"  ratio import / COPY        {copy_seconds / import_seconds:10.3f}   (goal >= 0.3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_intake needs DATABASE_URL pointing at a scratch PostgreSQL database")
    # The production profile, as a hotline runs it, but plain HTTP on loopback.
    env = dict(os.environ) | {
        "TURNTIDE_PROFILE": "production",
        "TURNTIDE_ALLOWED_HOSTS": "127.0.0.1",
        "TURNTIDE_SSL_REDIRECT": "false",
    }
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("TURNTIDE_AUDIT_KEY", secrets.token_urlsafe(50))
    env.setdefault("TURNTIDE_SURVEY_KEY", secrets.token_urlsafe(50))
    env.setdefault("TURNTIDE_HOME", tempfile.mkdtemp(prefix="turntide-bench-"))
    turntide(env, "manage", "migrate", "--verbosity", "0")
    turntide(env, "manage", "createcachetable")
    if not args.skip_api:
        bench_api(env, args.clients, args.seconds)
    if not args.skip_import:
        bench_import(env, args.rows)


if __name__ == "__main__":
    main()
