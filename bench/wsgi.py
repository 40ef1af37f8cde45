"""WSGI apps for the benchmarks only (never deployed).

- `gunicorn bench.wsgi:null`: the cheapest answer Flask can give, an empty 200 from an app of
  its own, the ceiling any endpoint served by the same gunicorn settings is measured against;
- `gunicorn bench.wsgi:product`: the app itself (as `wsgi:app`) with one more route,
  `/bench/null`, an empty 200 through all the app's own middleware.
"""

from flask import Flask

null = Flask("null")


@null.get("/")
def nothing():
    return ""


def __getattr__(name: str):
    # Made on first use: a server of the null app never builds the product.
    if name != "product":
        raise AttributeError(name)
    from hytu_events import create_app

    app = create_app()
    app.add_url_rule("/bench/null", "bench_null", lambda: "")
    globals()["product"] = app
    return app
