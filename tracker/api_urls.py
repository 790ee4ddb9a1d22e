"""Everything under /api/v1/. Each app contributes its own `api_urls` module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from tracker.security.api import TokenLoginApi

urlpatterns = [
    path("auth/token/", TokenLoginApi.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("provinces.api_urls")),
    path("", include("kpis.api_urls")),
    path("", include("tracker.progress.api_urls")),
    path("", include("tracker.reporting.api_urls")),
    path("", include("tracker.notifications.api_urls")),
    path("", include("tracker.exports.api_urls")),
]
