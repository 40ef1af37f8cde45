"""What every HTTP benchmark here needs: a PostgreSQL database of its own, gunicorn serving a
WSGI app as production does, and `wrk` measuring it.

Absolute numbers depend on the machine (and, on a shared one, on the neighbours), so the
benchmarks print ratios of measurements taken in the same run, under the same settings:
for example a page against the null endpoint of bench/wsgi.py served by the same gunicorn.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"

#: The gunicorn settings every measured server gets: the same for the null endpoint and the app.
WORKERS = 2


def psycopg_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ensure_postgres_database(url: str) -> str:
    """Create the database `url` names when it is missing (on its server's `postgres`
    database); the SQLAlchemy URL of it. The benchmarks fill and empty it as they like."""
    url = psycopg_url(url)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"BENCH_DATABASE_URL: {name!r} is not a plain database name")
    server = urlunsplit(parts._replace(path="/postgres"))
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(database_url: str, **settings: str) -> dict[str, str]:
    """A production process's environment on `database_url`: no debug, no testing."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "HYTU_", "RATELIMIT_", "MAIL_"))
        and key not in ("DATABASE_URL", "SECRET_KEY", "BASE_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-" + "x" * 40,
        BASE_URL="http://127.0.0.1",
        HYTU_PROJECT_ROOT=str(ROOT),
        PYTHONPATH=str(ROOT),
    )
    env.update(settings)
    return env


@contextmanager
def gunicorn(app: str, env: Mapping[str, str], *, probe: str = "/") -> Iterator[str]:
    """Serve the WSGI `app` ("module:variable") with gunicorn, `WORKERS` sync workers on a free
    loopback port; yields the base URL once `probe` answers. Stopped afterwards."""
    port = free_port()
    args = [str(GUNICORN), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    args += ["--chdir", str(ROOT), "--timeout", "120", "--graceful-timeout", "2"]
    args += ["--log-level", "warning", "--no-control-socket", app]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            args, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(process, base + probe, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_serving(process: subprocess.Popen, url: str, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"gunicorn exited:\n{log.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 - our own loopback server
                return
        except urllib.error.HTTPError as error:
            if error.code >= 400:
                raise SystemExit(f"{url} answered {error.code}") from error
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} in {timeout} s")


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    #: Answers other than 2xx and 3xx (wrk counts them); any is a broken benchmark.
    errors: int
    bytes_per_request: float


def wrk(
    url: str,
    *,
    seconds: int = 5,
    connections: int = 4,
    threads: int = 2,
    headers: Mapping[str, str] | None = None,
) -> Throughput:
    """Requests per second wrk gets from `url` (after a short warm-up at the same settings)."""
    args = [WRK, f"-t{threads}", f"-c{connections}"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    subprocess.run([*args, "-d1s", url], capture_output=True, check=True)  # noqa: S603
    out = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [*args, f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    read = _bytes(re.search(r"requests in [\d.]+\w+, ([\d.]+\w+) read", out).group(1))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    errors = int(failed.group(1)) if failed else 0
    if socket_errors and re.search(r"(?:read|write|timeout) [1-9]", socket_errors.group(1)):
        errors += 1
    return Throughput(rate, errors, read / max(done, 1))


_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def _bytes(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * _UNITS[unit]


def interleaved(
    runs: Mapping[str, Callable[[], Throughput]], rounds: int = 3
) -> dict[str, list[Throughput]]:
    """Each run `rounds` times, taking turns, so that what the machine's neighbours do weighs on
    every run alike; compare them round by round (`ratio`)."""
    results: dict[str, list[Throughput]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            results[name].append(run())
    return results


def ratio(results: Mapping[str, list[Throughput]], name: str, base: str) -> float:
    """The median over the rounds of `name`'s rate over `base`'s in the same round."""
    return statistics.median(
        run.requests_per_second / against.requests_per_second
        for run, against in zip(results[name], results[base], strict=True)
    )


def rate(results: Mapping[str, list[Throughput]], name: str) -> float:
    return statistics.median(run.requests_per_second for run in results[name])


def fetch(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict, bytes]:
    """One request: status, headers, body (undecoded)."""
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def percent(part: float, whole: float = 1.0) -> str:
    return f"{100 * part / whole:.0f} %"


def verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"
