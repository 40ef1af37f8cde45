"""deploy/'s nginx site, for real: Debian's nginx with a self-signed certificate in front of
gunicorn (deploy/gunicorn.conf.py), all on loopback ports of this run's own."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hytu_events import create_app
from hytu_events.config import PROJECT_ROOT
from hytu_events.secret_links import LINK_ARGUMENT
from tests.conftest import _test_config, unavailable

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET = "smoke-test-secret-" + "x" * 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(port: int, database: str, **settings: str) -> subprocess.Popen:
    """One instance, with deploy/gunicorn.conf.py, as hytu-events-web.service starts it;
    `settings` add to or replace the environment."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database,
        "SECRET_KEY": SECRET,
        "BASE_URL": "https://localhost",
        "HYTU_PROXY_FIX": "1",
        "RATELIMIT_ENABLED": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        **settings,
    }
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _site(tmp: Path, https_port: int, app_ports: tuple[int, int]) -> str:
    site = (PROJECT_ROOT / "deploy" / "nginx-hytu-events.conf").read_text()
    site = re.sub(r"\n    listen \[::\]:\d+[^\n]*", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{_free_port()};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_ports[0]};")
    site = site.replace("# server 127.0.0.1:8001;", f"server 127.0.0.1:{app_ports[1]};")
    site = site.replace("/srv/hytu-events/static/", f"{PROJECT_ROOT}/static/")
    site = re.sub(r"ssl_certificate [^;]+;", f"ssl_certificate {tmp}/cert.pem;", site)
    site = re.sub(r"ssl_certificate_key [^;]+;", f"ssl_certificate_key {tmp}/key.pem;", site)
    return site.replace("/var/log/nginx/hytu-events.access.log", f"{tmp}/access.log")


def _nginx_conf(tmp: Path) -> str:
    temps = " ".join(
        f"{kind}_temp_path {tmp}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
        + ("user root;\n" if os.geteuid() == 0 else "")  # nobody may not read the checkout
        + "events {}\n"
        f"http {{ include /etc/nginx/mime.types; {temps} include {tmp}/site.conf; }}\n"
    )


def _wait(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            pytest.fail(f"{what} stopped: {process.communicate()[1][-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{what} did not listen on {port}")


def _certificate(tmp: Path) -> None:
    """A self-signed certificate for localhost: tmp/cert.pem, tmp/key.pem."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(tmp / "key.pem"),
            "-out",
            str(tmp / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def through_nginx(tmp_path):
    if not Path(NGINX).exists():
        unavailable("the nginx smoke test needs Debian's nginx (apt-get install nginx)")
    database = f"sqlite:///{tmp_path / 'hytu.sqlite3'}"
    from flask_migrate import upgrade

    with create_app(_test_config(database)).app_context():
        upgrade()
    _certificate(tmp_path)
    app_ports, https_port = (_free_port(), _free_port()), _free_port()
    instances = [_gunicorn(port, database) for port in app_ports]
    (tmp_path / "site.conf").write_text(_site(tmp_path, https_port, app_ports))
    (tmp_path / "nginx.conf").write_text(_nginx_conf(tmp_path))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for port, instance in zip(app_ports, instances, strict=True):
            _wait(port, instance, "gunicorn")
        _wait(https_port, nginx, "nginx")
        context = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))

        def get(path: str, **headers) -> http.client.HTTPResponse:
            connection = http.client.HTTPSConnection("localhost", https_port, context=context)
            connection.request("GET", path, headers={"Accept-Encoding": "gzip", **headers})
            response = connection.getresponse()
            response.body = response.read()
            connection.close()
            return response

        def app_logs() -> list[list[dict]]:
            """Each instance's lines (gunicorn's and the app's), once it has stopped."""
            for instance in instances:
                instance.terminate()
            return [
                [json.loads(line) for line in instance.communicate(timeout=30)[1].splitlines()]
                for instance in instances
            ]

        yield get, tmp_path, app_logs
    finally:
        for process in (nginx, *instances):
            process.terminate()
            process.wait(timeout=30)


def test_pages_static_files_and_the_request_id_through_nginx(through_nginx):
    get, tmp, app_logs = through_nginx
    page = get("/", **{"X-Request-ID": "chosen-by-the-client"})
    assert page.status == 200
    assert page.getheader("Content-Encoding") == "gzip"
    html = gzip.decompress(page.body).decode()
    # The id is nginx's own, the same in its access log and in the app's answer.
    request_id = page.getheader("X-Request-ID")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    for _ in range(100):  # nginx writes the line once the response is out
        if f"request_id={request_id}" in (tmp / "access.log").read_text():
            break
        time.sleep(0.05)
    assert f"request_id={request_id}" in (tmp / "access.log").read_text()
    # BASE_URL is https, and the request came through TLS: HSTS is on.
    assert page.getheader("Strict-Transport-Security")

    [css] = re.findall(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', html)
    static = get(css)
    assert static.status == 200
    assert static.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert static.getheader("Content-Encoding") == "gzip"
    on_disk = (PROJECT_ROOT / "static" / "css" / "site.css").read_bytes()
    assert gzip.decompress(static.body) == on_disk

    assert get("/readyz").status == 200
    assert get("/metrics").status == 404  # never public, whatever the app would answer

    for _ in range(3):
        assert get("/").status == 200
    # Both instances answered pages; every line is JSON, gunicorn's own too.
    logs = app_logs()
    for lines in logs:
        assert any(line.get("endpoint") == "catalogue.index" for line in lines)
        assert any(line["logger"] == "gunicorn.error" for line in lines)
    [logged] = [line for lines in logs for line in lines if line.get("request_id") == request_id]
    assert (logged["endpoint"], logged["status"]) == ("catalogue.index", 200)


def secret_link_paths(token: str) -> list[str]:
    """A request path for every route the app marks as a secret link, holding `token`."""
    app = create_app(_test_config("sqlite://"))
    paths = []
    for rule in app.url_map.iter_rules():
        argument = getattr(app.view_functions[rule.endpoint], LINK_ARGUMENT, None)
        if argument:
            values = {name: 1 for name in rule.arguments} | {argument: token}
            paths.append(rule.build(values, append_unknown=False)[1] + "?lang=fi")
    return paths


def test_no_secret_link_reaches_any_log(through_nginx):
    get, tmp, app_logs = through_nginx
    token = "Sekr3tLinkToken_" + "k" * 40
    paths = secret_link_paths(token)
    assert any(path.startswith("/r/") for path in paths)
    for path in paths:
        # Not a real link: refused like a forged one (405: a route that only takes posts).
        assert get(path).status in (404, 405), path
    request_id = get("/", **{"X-Request-ID": "last"}).getheader("X-Request-ID")
    for _ in range(100):  # nginx writes a line once its response is out
        if request_id in (tmp / "access.log").read_text():
            break
        time.sleep(0.05)
    nginx_log = (tmp / "access.log").read_text()
    assert token not in nginx_log
    assert "/r/<secret>" in nginx_log and "?lang" not in nginx_log
    app_lines = json.dumps(app_logs())
    assert token not in app_lines
