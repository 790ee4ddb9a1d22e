from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from kpis.selectors import catalogue_counts


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"counts": catalogue_counts()})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the reference of the logged error (tracker.ops.middleware), no details."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"reference": getattr(request, "error_reference", "")}), status=500)
