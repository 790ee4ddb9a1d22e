from django.urls import path

from tracker.dashboards import plotlyjs, views

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("tinh/<str:code>/", views.province, name="province"),
    path("chi-tieu/<str:code>/", views.indicator, name="indicator"),
    path("van-ban/<slug:code>/", views.directive, name="directive"),
    path("plotly-<str:version>.min.js", plotlyjs.plotly_js, name="plotly_js"),
]
