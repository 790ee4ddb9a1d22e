"""plotly.js served by the app from the installed plotly package.

Government networks are often closed, so no CDN. Serving the file the Python package ships means
the JavaScript always matches the figures the Python side builds, and nothing is committed twice.
The URL carries the version, so browsers may cache it for a year.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import plotly
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

VERSION = plotly.__version__
ONE_YEAR = 365 * 24 * 3600


def bundle_path() -> Path:
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@cache
def _bundle() -> tuple[bytes, bytes]:
    raw = bundle_path().read_bytes()
    # Compressed once per process: 4.8 MB becomes about 1.4 MB on the wire.
    return raw, gzip.compress(raw, compresslevel=6, mtime=0)


@require_GET
def plotly_js(request: HttpRequest, version: str) -> HttpResponse:
    if version != VERSION:
        # A page rendered before an upgrade asks for the old file; today's is the one that exists.
        return HttpResponseRedirect(reverse("dashboards:plotly_js", kwargs={"version": VERSION}))
    raw, compressed = _bundle()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="text/javascript; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(raw, content_type="text/javascript; charset=utf-8")
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
