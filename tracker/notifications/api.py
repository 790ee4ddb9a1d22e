"""The notification centre's API: a user sees and marks only their own notifications."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker import inputs
from tracker.notifications import selectors, services
from tracker.notifications.serializers import (
    MarkedSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    UnreadSerializer,
)


@extend_schema(
    parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="chỉ thông báo chưa đọc")],
)
class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        unread = inputs.boolean(self.request.query_params.get("unread", ""), field="unread")
        return selectors.notification_list(user=self.request.user, unread_only=unread)


class NotificationUnreadApi(APIView):
    @extend_schema(responses=UnreadSerializer)
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(user=request.user)})


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request: Request, pk: int) -> Response:
        if not services.notification_mark_read(user=request.user, notification_id=pk):
            raise Http404
        return Response({"marked": 1})


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})


class NotificationPreferenceApi(APIView):
    @extend_schema(responses=PreferenceSerializer)
    def get(self, request: Request) -> Response:
        return Response({"channel": selectors.channel_of(request.user)})

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request: Request) -> Response:
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = services.preference_set(user=request.user, channel=serializer.validated_data["channel"])
        return Response({"channel": preference.channel})
