"""Serving the app on a real socket, for tests that need real concurrency or a real browser.

`serving` runs the test's own app in a thread; `gunicorn_servers` runs real gunicorn
processes in production mode, for what only separate processes show (shared rate limits).
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from hytu_events.config import PROJECT_ROOT


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port, a thread per request; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


#: The real gunicorn of this virtualenv, as production runs it (`gunicorn wsgi:app`).
GUNICORN = Path(sys.executable).with_name("gunicorn")


def production_environment(app: Flask, **settings: str) -> dict[str, str]:
    """The environment of a production process on `app`'s database: no debug, no testing."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLASK_", "HYTU_", "RATELIMIT_", "MAIL_"))
        and key not in ("DATABASE_URL", "SECRET_KEY", "BASE_URL")
    }
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY=app.config["SECRET_KEY"],
        BASE_URL="http://127.0.0.1",
        HYTU_PROJECT_ROOT=str(PROJECT_ROOT),
    )
    env.update(settings)
    return env


LISTENING = re.compile(r"Listening at: (http://\S+)")


class Gunicorn:
    """One gunicorn master with its workers, started with `env`; `url` once it listens."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1):
        args = [str(GUNICORN), "--workers", str(workers), "--bind", "127.0.0.1:0"]
        # A busy test machine must not get a slow worker killed (gunicorn's default is 30 s).
        args += ["--chdir", str(PROJECT_ROOT), "--timeout", "120", "--graceful-timeout", "2"]
        if int(importlib.metadata.version("gunicorn").split(".")[0]) >= 27:
            args.append("--no-control-socket")  # one per user by default: servers would clash
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [*args, "wsgi:app"], env=env, stdout=self._log_file, stderr=subprocess.STDOUT
        )
        self.url: str | None = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_serving(self, timeout: float = 120) -> str:
        """The base URL once a worker answers; AssertionError (with the log) if it exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"gunicorn exited ({self.process.returncode}):\n{self.output()}"
                )
            if self.url is None and (found := LISTENING.search(self.output())):
                self.url = found.group(1)
            if self.url is not None:
                try:  # an http:// URL from gunicorn's own log
                    with urllib.request.urlopen(self.url + "/accessibility", timeout=30):  # noqa: S310
                        return self.url
                except OSError:  # refused while the worker boots, or slow on a busy machine
                    pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start in {timeout} s:\n{self.output()}")

    def wait_for_exit(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


@contextmanager
def gunicorn_servers(env: dict[str, str], log_dir: Path, count: int = 1) -> Iterator[list[str]]:
    """`count` gunicorn servers started together, each on a free loopback port of its own."""
    servers = [Gunicorn(env, log_dir / f"gunicorn-{n}.log") for n in range(count)]
    try:
        yield [server.wait_until_serving() for server in servers]
    finally:
        for server in servers:
            server.stop()
