"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from hytu_events import create_app

app = create_app()
