from django.urls import path

from tracker.progress import api

urlpatterns = [
    path("indicator-values/", api.IndicatorValueListApi.as_view(), name="api-indicator-values"),
    path("progress/", api.TargetProgressListApi.as_view(), name="api-progress"),
    path("standings/", api.StandingListApi.as_view(), name="api-standings"),
    path("index-scores/", api.IndexScoreListApi.as_view(), name="api-index-scores"),
    path("reporting-rates/", api.ReportingRateListApi.as_view(), name="api-reporting-rates"),
    path("rollups/status/", api.RollupStatusApi.as_view(), name="api-rollups-status"),
]
