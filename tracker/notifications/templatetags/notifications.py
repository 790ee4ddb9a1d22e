from typing import Any

from django import template

from tracker.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """Unread notifications of the signed-in user (one COUNT query), for the navigation bar."""
    request = context.get("request")
    return unread_count(user=getattr(request, "user", None)) if request is not None else 0
