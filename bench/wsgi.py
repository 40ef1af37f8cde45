"""WSGI apps for the benchmarks only (never deployed): `gunicorn bench.wsgi:null`.

`null` is the cheapest answer Flask can give, an empty 200: the ceiling any endpoint served by
the same gunicorn settings is measured against.
"""

from flask import Flask

null = Flask("null")


@null.get("/")
def nothing():
    return ""


def _product_with_null():
    from hytu_events import create_app

    app = create_app()
    app.add_url_rule("/bench/null", "bench_null", lambda: "")
    return app


product = _product_with_null()
