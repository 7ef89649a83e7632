"""Swagger UI on `/docs`, without any CDN: its bundle and stylesheet come from the pinned
`fastapi-offline` package (which ships Swagger UI's dist; checked against SHA256SUMS
beside this file), our page and starter script from this folder, all under the console's
strict Content-Security-Policy.

`API_DOCS_UI=false` (the production overlay) serves none of it. ReDoc is not served at
all: it injects inline styles and starts workers from blob: URLs, which the policy
refuses. `/openapi.json` stays public either way.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import Response

from gateway.console.assets import CONTENT_SECURITY_POLICY
from gateway.edge.problems import ApiProblem

HERE = Path(__file__).parent
PACKAGED = ("swagger-ui-bundle.js", "swagger-ui.css")
OWN = {"init.js": "text/javascript"}
TYPES = {".js": "text/javascript", ".css": "text/css"}
# Swagger UI draws its icons from data: URLs in its stylesheet.
POLICY = CONTENT_SECURITY_POLICY.replace("img-src 'self'", "img-src 'self' data:")


def locked_sums() -> dict[str, str]:
    lines = (HERE / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    pairs = (line.split() for line in lines if line and not line.startswith("#"))
    return {name: digest for digest, name in pairs}


def packaged_file(name: str) -> bytes:
    return (Path(fastapi_offline.__file__).parent / "static" / name).read_bytes()


def read_files() -> dict[str, bytes]:
    """The files as served; one whose checksum differs from SHA256SUMS stops the start."""
    files = {name: packaged_file(name) for name in PACKAGED}
    sums = locked_sums()
    for name, body in files.items():
        if hashlib.sha256(body).hexdigest() != sums.get(name):
            raise RuntimeError(f"{name} of fastapi-offline differs from SHA256SUMS")
    files.update({name: (HERE / name).read_bytes() for name in OWN})
    return files


def install_docs_ui(app: FastAPI) -> None:
    files = read_files()
    page = (HERE / "index.html").read_bytes()
    headers = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff"}
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    async def docs_page() -> Response:
        return Response(page, media_type="text/html", headers=headers)

    @router.get("/docs/static/{name}")
    async def docs_file(name: str) -> Response:
        body = files.get(name)
        if body is None:
            raise ApiProblem(404, "not_found", "no such file")
        media_type = TYPES[Path(name).suffix]
        cache = {"Cache-Control": "public, max-age=86400"}
        return Response(body, media_type=media_type, headers={**headers, **cache})

    app.include_router(router)
