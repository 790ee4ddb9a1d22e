from django.urls import path

from tracker.dashboards import commune_views, maps, plotlyjs, scorecard_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("tinh/<str:code>/", views.province, name="province"),
    path("tinh/<str:code>/xa/<str:commune>/", commune_views.commune, name="commune"),
    path("bang-diem/tinh/<str:code>/", commune_views.commune_scorecard, name="scorecard_communes"),
    path("chi-tieu/<str:code>/", views.indicator, name="indicator"),
    path("van-ban/<slug:code>/", views.directive, name="directive"),
    path("bang-diem/", scorecard_views.scorecard_page, name="scorecard"),
    path("bang-diem/chi-tiet/", scorecard_views.scorecard_grid, name="scorecard_grid"),
    path("ban-do/", maps.map_page, name="map"),
    path("ban-do/ranh-gioi/", maps.boundaries_page, name="boundaries"),
    path("plotly-<str:version>.min.js", plotlyjs.plotly_js, name="plotly_js"),
]
