"""Static public pages required by law (GDPR art. 13, Digital services act 306/2019)."""

from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("public/accessibility.html")
