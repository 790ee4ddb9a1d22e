"""The return and approval comments at the top of every report page (one query)."""

from __future__ import annotations

from django import template

from tracker.reporting.models import AuditEntry, Submission
from tracker.reporting.review import top_comments

register = template.Library()


@register.simple_tag
def report_comments(submission: Submission) -> list[AuditEntry]:
    return top_comments(submission)
