"""`flask plan import FILE.csv` and `flask plan export`: see csvformat.py for the layouts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from .exporting import export_csv
from .importing import import_csv

plan_group = AppGroup("plan", help="Measures and indicator values in and out as CSV.")


@plan_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path) -> None:
    """Import measures or indicator values (told apart by the header); all rows or none."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        click.echo(f"{path}: not UTF-8 text; save the file as CSV UTF-8.", err=True)
        sys.exit(2)

    def progress(rows):
        with click.progressbar(rows, label="Checking rows", show_pos=True, file=sys.stderr) as bar:
            yield from bar

    result = import_csv(text, progress)
    if not result.ok:
        click.echo(
            f"{path}: {len(result.rejected)} row(s) rejected; nothing was imported.", err=True
        )
        with force_locale("en"):  # the command line speaks English, as its other messages
            for rejection in result.rejected:
                click.echo(f"  {rejection}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"{result.kind}: {result.created} added, {result.updated} updated.")


@plan_group.command("export")
@click.option(
    "--what",
    type=click.Choice(["measures", "indicator-values"]),
    default="measures",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export_command(what: str, output: Path | None) -> None:
    """Write measures or indicator values as CSV (to a file, or to standard output)."""
    text = export_csv(what)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: {text.count(chr(10)) - 1} rows.", err=True)
