from django.urls import path

from kpis import api

urlpatterns = [
    path("directives/", api.DirectiveListApi.as_view(), name="api-directives"),
    path("indicators/", api.IndicatorListApi.as_view(), name="api-indicators"),
    path("indicators/<str:code>/", api.IndicatorDetailApi.as_view(), name="api-indicator"),
    path("data-elements/", api.DataElementListApi.as_view(), name="api-data-elements"),
    path("report-forms/", api.ReportFormListApi.as_view(), name="api-report-forms"),
]
