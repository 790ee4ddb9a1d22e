from django.urls import path

from provinces.api import CommuneDetailApi, CommuneListApi, ProvinceListApi

urlpatterns = [
    path("provinces/", ProvinceListApi.as_view(), name="api-provinces"),
    path("communes/", CommuneListApi.as_view(), name="api-communes"),
    path("communes/<str:code>/", CommuneDetailApi.as_view(), name="api-commune"),
]
