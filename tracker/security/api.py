"""The API token login: same lockout as the web login (the Django request reaches `authenticate()`,
so axes can both count the failure and answer 429), plus a per-address rate limit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.security.throttling import LoginRateThrottle
from tracker.security.tokens import token_for


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenLoginApi(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            # {"detail", "code"} for wrong credentials, {field: [errors], "detail", "code"} for a malformed request
            400: OpenApiTypes.OBJECT,
            429: inline_serializer(
                "TokenLockedOut", {"detail": serializers.CharField(), "code": serializers.CharField()}
            ),
        },
        auth=[],
        summary=_("Lấy token API bằng tên đăng nhập và mật khẩu"),
    )
    def post(self, request: Request) -> Response:
        serializer = TokenLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The plain Django request: axes marks it when the account is locked out, and its
        # middleware turns that mark into the 429 answer.
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Tên đăng nhập hoặc mật khẩu không đúng."), "code": "authentication_failed"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"token": token_for(user).key})
