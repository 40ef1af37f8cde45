"""gunicorn settings for hytu-events behind nginx (`gunicorn -c deploy/gunicorn.conf.py wsgi:app`).

Every value can be changed without editing this file: GUNICORN_BIND, GUNICORN_WORKERS.
Several instances (one per machine, or two on one machine on different ports) share
PostgreSQL and Redis and need nothing else in common.
"""

import multiprocessing
import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"  # nginx buffers slow clients, so sync workers are never held by them
timeout = 30
graceful_timeout = 30
keepalive = 5
# Restart workers now and then, staggered, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# nginx writes the access log with the request id; the app logs one JSON line per request.
accesslog = None
errorlog = "-"
# gunicorn's own lines (workers started, timed out) as JSON too, like the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "hytu_events.serving.request_log.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    # gunicorn merges this over its defaults key by key, so each key is given whole. The root
    # logger gets no handler: the app's loggers have their own JSON one (serving.request_log),
    # which a root handler would repeat.
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # No access lines from gunicorn: they carry the whole path, secret links included (nginx
        # logs requests with the secret written as <secret>; the app logs the route's rule).
        "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
# Trust X-Forwarded-* only from nginx on this machine (the app's HYTU_PROXY_FIX reads them).
forwarded_allow_ips = "127.0.0.1,::1"


def on_starting(server):
    """prometheus-client's multiprocess files must start empty, or dead workers' counts stay."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
