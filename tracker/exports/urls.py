from django.urls import path

from tracker.exports import commune_views, views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("bao-cao-tinh/", views.province_report, name="province_report"),
    path("bao-cao-toan-quoc/", views.national_report, name="national_report"),
    path("cap-xa/<str:province>/", commune_views.commune_export, name="commune_export"),
    path("tep/<uuid:pk>/", views.job_page, name="job"),
    path("tep/<uuid:pk>/tai-ve/", views.job_download, name="job_download"),
    path("mau-nhap-lieu/", views.template_download, name="template"),
    path("mau-nhap-lieu/tai-len/", views.template_upload, name="template_upload"),
    path("nhap-lich-su/", views.bulk_import_page, name="bulk_import"),
]
