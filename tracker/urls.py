from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker import views
from tracker.health import health
from tracker.notifications.views import set_language

handler500 = "tracker.views.server_error"

admin.site.site_header = _("Quản trị – KPI chuyển đổi số")
admin.site.site_title = _("KPI chuyển đổi số")
admin.site.index_title = _("Quản trị")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health, name="health"),
    path("accounts/", include("django.contrib.auth.urls")),
    # Before Django's own switch: it also keeps the user's choice for their e-mails.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tracker.api_urls")),
    path("thong-bao/", include("tracker.notifications.urls")),
    path("bao-cao/", include("tracker.reporting.urls")),
    path("bang-dieu-khien/", include("tracker.dashboards.urls")),
    path("xuat-nhap/", include("tracker.exports.urls")),
]
