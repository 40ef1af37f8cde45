"""The API's documentation page (/api/v1/docs): the OpenAPI document, generated from the code,
rendered by the app as a page of the site, so it needs no script from anywhere (no CDN), speaks
the reader's language around the document's English and passes the same axe check as every
page."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs_page", __name__)

#: The document's own description (info.description, CommonMark).
INTRODUCTION = (
    "Open data of Lapland's welfare and safety (HYTU) network: its published and cancelled "
    "events (never drafts), their series, the measures of the joint implementation plan, the "
    "21 municipalities with their plan status and the public summary's figures. Read only, no "
    "key, no personal data.\n\n"
    "- **Language**: `?lang=fi|sv|en`, else the `Accept-Language` header, else Finnish; the "
    "answer's `Content-Language` says which.\n"
    "- **Pages**: `?page=` and `?page_size=` (up to 100); the `Link` header (RFC 8288) has the "
    "`first`, `prev`, `next` and `last` pages with the same filters, `X-Total-Count` the total. "
    "The order is stable: ties are broken by id.\n"
    "- **Caching**: every answer has an `ETag`; send it back in `If-None-Match` to get "
    "`304 Not Modified` while nothing changed.\n"
    "- **From a browser**: CORS is open to every origin for GET, without credentials.\n"
    "- **Limits**: requests are counted per address; past the limit the answer is 429 with "
    "`Retry-After`.\n"
    "- **Errors**: JSON with `code`, `status`, `message` (in the language asked for) and, for "
    "a malformed query, `errors` by parameter."
)


def _resolved(spec: dict, item: dict) -> dict:
    """A `$ref` to the document's components, looked up (others are inline already)."""
    while isinstance(item, dict) and "$ref" in item:
        node = spec
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def _type_of(schema: dict) -> str:
    """A parameter's or property's type as a reader writes it: `integer (1–100)`, `a | b`."""
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    kinds = schema.get("type", "")
    kind = " or ".join(kinds) if isinstance(kinds, list) else kinds
    if kind in ("array", "array or null") and "items" in schema:
        kind = f"{kind.replace('array', 'list')} of {_type_of(schema['items'])}"
    if "format" in schema:
        kind += f", {schema['format']}"
    if "pattern" in schema:
        kind += f", {schema['pattern']}"
    if "minimum" in schema or "maximum" in schema:
        kind += f" ({schema.get('minimum', '')}–{schema.get('maximum', '')})"
    return kind


def operations(spec: dict) -> list[dict]:
    """Every operation of the document, in its order, with parameters and answers resolved."""
    found = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters":
                continue
            parameters = [_resolved(spec, p) for p in [*shared, *operation.get("parameters", [])]]
            answers = {
                status: _resolved(spec, answer)
                for status, answer in operation.get("responses", {}).items()
            }
            found.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {**p, "type": _type_of(p.get("schema", {}))} for p in parameters
                    ],
                    "answers": answers,
                    "example": path if "{" not in path else None,
                }
            )
    return found


def schemas(spec: dict) -> list[dict]:
    """The answers' objects, each property with its type and whether it is always there."""
    found = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        required = set(schema.get("required", []))
        found.append(
            {
                "name": name,
                "properties": [
                    {
                        "name": prop,
                        "type": _type_of(details),
                        "description": details.get("description", ""),
                        "required": prop in required,
                    }
                    for prop, details in schema.get("properties", {}).items()
                ],
            }
        )
    return found


@bp.get("/api/v1/docs")
def documentation():
    spec = current_app.extensions["hytu_api"].spec.to_dict()
    return render_template(
        "api/docs.html", spec=spec, operations=operations(spec), schemas=schemas(spec)
    )
