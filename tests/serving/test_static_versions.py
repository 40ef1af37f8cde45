"""Static addresses change with their content, so far-future caching is safe."""

import re

from flask import url_for


def test_pages_link_static_files_by_their_contents_hash(app, client, tmp_path):
    page = client.get("/").text
    [href] = re.findall(r'href="(/static/css/site\.css[^"]*)"', page)
    assert re.fullmatch(r"/static/css/site\.css\?v=[0-9a-f]{10}", href)
    assert client.get(href).status_code == 200
    with app.test_request_context():
        assert url_for("static", filename="missing.css") == "/static/missing.css"
        assert url_for("static", filename="../README.md") == "/static/../README.md"
        # Another file, another hash.
        assert url_for("static", filename="favicon.svg").split("v=")[1] != href.split("v=")[1]
