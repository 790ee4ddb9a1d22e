from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kpis.selectors import catalogue_counts


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"counts": catalogue_counts()})
