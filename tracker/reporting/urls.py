from django.urls import path

from tracker.reporting import commune_views, review, views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="manifest"),
    path("hop-thu/", views.inbox, name="inbox"),
    path("tinh/<int:province_id>/", views.province_overview, name="province"),
    path("tinh/<int:province_id>/mo-bao-cao/", views.submission_open, name="open"),
    path("<int:pk>/", views.submission_page, name="submission"),
    path("<int:pk>/xem-xet/", review.review_page, name="review"),
    path("<int:pk>/phe-duyet/", views.submission_approve, name="approve"),
    path("<int:pk>/tra-lai/", views.submission_return, name="return"),
    path("<int:pk>/dieu-chinh/", views.submission_correct, name="correct"),
    path("<int:pk>/dien-san/", views.submission_prefill, name="prefill"),
    path("<int:pk>/y-kien/", views.submission_comment, name="comment"),
    path("<int:pk>/mo-khoa/", views.submission_lock_exception, name="lock_exception"),
    path("<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    # Commune reporting (issue 17)
    path("xa/", commune_views.commune_home, name="commune_home"),
    path("xa/mo-bao-cao/", commune_views.commune_open, name="commune_open"),
    path("tinh/<int:province_id>/xa/", commune_views.province_communes, name="communes"),
    path("tinh/<int:province_id>/xa/xu-ly/", commune_views.province_communes_action, name="communes_action"),
    path("<int:pk>/ly-do-chua-du-xa/", commune_views.coverage_note, name="coverage_note"),
]
