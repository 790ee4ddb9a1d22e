"""API tokens that expire and are revoked.

A token is valid for API_TOKEN_TTL_DAYS (30 by default) from its creation; after that the API
answers 401 and the token is deleted, and the token login issues a new one. A token is also
deleted, at once, when its user is locked out (django-axes), changes password or is deactivated:
each of those means the person holding the token may no longer be the account's owner.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

logger = logging.getLogger("tracker.security")


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "API_TOKEN_TTL_DAYS", 30)))


def is_expired(token: Token, *, now: datetime.datetime | None = None) -> bool:
    return token.created + token_lifetime() <= (now or timezone.now())


def token_for(user: Any) -> Token:
    """The user's current token, a new one if there is none or it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def tokens_revoke(*, user_id: Any, reason: str) -> int:
    deleted, _by_model = Token.objects.filter(user_id=user_id).delete()
    if deleted:
        logger.warning("api token revoked user_id=%s reason=%s", user_id, reason, extra={"event": "token_revoked"})
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("Token đã hết hạn: hãy lấy token mới."), code="token_expired")
        return user, token


@receiver(user_locked_out, dispatch_uid="tracker.security.tokens.locked_out")
def revoke_on_lockout(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    user_model = get_user_model()
    for user_id in user_model.objects.filter(**{user_model.USERNAME_FIELD: username or ""}).values_list(
        "pk", flat=True
    ):
        tokens_revoke(user_id=user_id, reason="lockout")


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="tracker.security.tokens.user_saved")
def revoke_on_password_change_or_deactivation(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return  # a new user has no token; a save of other fields (last_login) cannot revoke
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        tokens_revoke(user_id=instance.pk, reason="password_changed")
    elif before["is_active"] and not instance.is_active:
        tokens_revoke(user_id=instance.pk, reason="deactivated")
