from django.urls import path

from tracker.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/da-doc/", views.mark_read, name="read"),
    path("da-doc-tat-ca/", views.mark_all_read, name="read_all"),
    path("cach-nhan/", views.preference, name="preference"),
]
