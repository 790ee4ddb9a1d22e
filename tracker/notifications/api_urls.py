from django.urls import path

from tracker.notifications import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/unread/", api.NotificationUnreadApi.as_view(), name="api-notifications-unread"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/preference/", api.NotificationPreferenceApi.as_view(), name="api-notifications-preference"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="api-notification-read"),
]
