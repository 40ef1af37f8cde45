"""Email through a database outbox: rows written with the change, delivered after commit."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import receivers
    from .cli import mail_group
    from .views import bp

    receivers.connect()
    app.register_blueprint(bp)
    app.cli.add_command(mail_group)
