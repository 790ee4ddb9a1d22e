from django.urls import path, re_path

from tracker.exports import api, commune_api

urlpatterns = [
    path("reports/province/", api.ProvinceReportApi.as_view(), name="api-report-province"),
    path("reports/national/", api.NationalReportApi.as_view(), name="api-report-national"),
    path("reports/communes/", commune_api.CommuneReportApi.as_view(), name="api-report-communes"),
    path("jobs/", api.JobListApi.as_view(), name="api-export-jobs"),
    path("jobs/<uuid:pk>/", api.JobDetailApi.as_view(), name="api-export-job"),
    path("jobs/<uuid:pk>/download/", api.JobDownloadApi.as_view(), name="api-export-job-download"),
    path("templates/", api.TemplateApi.as_view(), name="api-template"),
    path("templates/upload/", api.TemplateUploadApi.as_view(), name="api-template-upload"),
    path("imports/bulk/", api.BulkImportApi.as_view(), name="api-bulk-import"),
    # DHIS2 clients call it without a trailing slash (and sometimes with .json).
    re_path(r"^dataValueSets(?:\.json|/)?$", api.DataValueSetsApi.as_view(), name="api-data-value-sets"),
    path("opensdg/<str:code>.csv", api.OpenSdgApi.as_view(), name="api-opensdg"),
]
