"""`make run` serves where HOST= and PORT= say (127.0.0.1:5000 without them), and the links the
app writes (feeds, mail) name that address unless BASE_URL says otherwise."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import urllib.request

import pytest

from hytu_events.config import PROJECT_ROOT
from tests.app.test_readme_cli import a_new_users_shell
from tests.conftest import unavailable

#: Migrations, the demo data and the server's start, on a loaded machine.
START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dry_run(*arguments: str, env: dict | None = None) -> str:
    """The command `make run` would serve with (make -n runs nothing)."""
    done = subprocess.run(
        ["make", "-n", "-s", "run", *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    [line] = [line for line in done.stdout.splitlines() if "flask run" in line]
    return line


@pytest.fixture
def make():
    if subprocess.run(["make", "--version"], capture_output=True, check=False).returncode:
        unavailable("make is not installed")
    if not (PROJECT_ROOT / ".venv" / "bin" / "flask").exists():
        unavailable("`make run` needs the checkout's .venv (make install)")


@pytest.mark.parametrize(
    ("arguments", "served", "links"),
    [
        ((), "--host '127.0.0.1' --port '5000'", "http://127.0.0.1:5000"),
        (("PORT=8123",), "--host '127.0.0.1' --port '8123'", "http://127.0.0.1:8123"),
        # Every interface: links name the machine's own loopback address.
        (("HOST=0.0.0.0", "PORT=8000"), "--host '0.0.0.0' --port '8000'", "http://127.0.0.1:8000"),
        (("HOST=::1",), "--host '::1' --port '5000'", "http://[::1]:5000"),
    ],
)
def test_host_and_port_choose_the_address_and_its_links(make, arguments, served, links):
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "BASE_URL"}}
    line = dry_run(*arguments, env=env)
    assert served in line and f"BASE_URL='{links}'" in line


def test_base_url_from_the_environment_wins(make):
    env = {**os.environ, "BASE_URL": "https://tapahtumat.example.fi", "PORT": "8124"}
    line = dry_run(env=env)
    assert "--port '8124'" in line and "BASE_URL='https://tapahtumat.example.fi'" in line


def test_make_run_serves_on_the_port_asked_for(make, tmp_path):
    port = free_port()
    env = a_new_users_shell(tmp_path / "instance")  # leaves the checkout's instance/ alone
    server = subprocess.Popen(
        ["make", "run", "HOST=localhost", f"PORT={port}"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # the reloader's child goes with it
    )
    watchdog = threading.Timer(START_SECONDS, os.killpg, (server.pid, signal.SIGKILL))
    watchdog.start()
    output = []
    try:
        while line := server.stdout.readline():
            output.append(line)
            if "Running on http://" in line and f":{port}" in line:
                break
        else:
            pytest.fail("make run ended before serving:\n" + "".join(output))
        with urllib.request.urlopen(f"http://localhost:{port}/?lang=fi", timeout=30) as page:
            html = page.read().decode()
        assert f"http://localhost:{port}/calendar.ics" in html  # the feed's address
    finally:
        watchdog.cancel()
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)
