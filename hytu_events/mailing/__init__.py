"""Email through a database outbox: rows written with the change, delivered after commit."""

from flask import Flask


def init_app(app: Flask) -> None:
    from . import privacy, receivers
    from .cli import mail_group
    from .views import bp

    receivers.connect()
    privacy.register()
    app.register_blueprint(bp)
    app.cli.add_command(mail_group)
