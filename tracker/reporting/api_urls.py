from django.urls import path

from tracker.reporting import api, api_cells, api_communes

urlpatterns = [
    path("submissions/", api.SubmissionListCreateApi.as_view(), name="api-submissions"),
    path("submissions/<int:pk>/", api.SubmissionDetailApi.as_view(), name="api-submission"),
    path("submissions/<int:pk>/values/", api.SubmissionValuesApi.as_view(), name="api-submission-values"),
    path(
        "submissions/<int:pk>/cells/<str:element>/", api_cells.SubmissionCellApi.as_view(), name="api-submission-cell"
    ),
    path("submissions/<int:pk>/submit/", api.SubmissionSubmitApi.as_view(), name="api-submission-submit"),
    path("submissions/<int:pk>/approve/", api.SubmissionApproveApi.as_view(), name="api-submission-approve"),
    path("submissions/<int:pk>/return/", api.SubmissionReturnApi.as_view(), name="api-submission-return"),
    path("submissions/<int:pk>/correct/", api.SubmissionCorrectApi.as_view(), name="api-submission-correct"),
    path("submissions/<int:pk>/prefill/", api.SubmissionPrefillApi.as_view(), name="api-submission-prefill"),
    path("submissions/<int:pk>/comments/", api.SubmissionCommentApi.as_view(), name="api-submission-comments"),
    path(
        "submissions/<int:pk>/lock-exception/",
        api.SubmissionLockExceptionApi.as_view(),
        name="api-submission-lock-exception",
    ),
    path("submissions/<int:pk>/history/", api.SubmissionHistoryApi.as_view(), name="api-submission-history"),
    path("submissions/<int:pk>/evidence/", api.SubmissionEvidenceApi.as_view(), name="api-submission-evidence"),
    path("evidence/<int:pk>/", api.EvidenceDownloadApi.as_view(), name="api-evidence-download"),
    path("periods/open/", api.PeriodOpenApi.as_view(), name="api-periods-open"),
    # Commune reporting (issue 17); a commune report's own actions are the submissions/<id>/… above.
    path(
        "commune-submissions/",
        api_communes.CommuneSubmissionListCreateApi.as_view(),
        name="api-commune-submissions",
    ),
    path(
        "commune-submissions/batch-approve/",
        api_communes.CommuneBatchApproveApi.as_view(),
        name="api-commune-batch-approve",
    ),
    path("commune-coverage/", api_communes.CommuneCoverageApi.as_view(), name="api-commune-coverage"),
    path(
        "submissions/<int:pk>/coverage-note/",
        api_communes.SubmissionCoverageNoteApi.as_view(),
        name="api-submission-coverage-note",
    ),
]
