"""Who may do what with a province's submissions.

Pure predicates over a user and a submission (or province); the reporting services call them
before every read and write, so the web pages, the API, the importer and the commands agree.

- officer: reads their province's submissions (and its predecessors' historical ones), writes
  values, evidence and submits while the submission is a draft, opens a correction.
- approver: reads their province's submissions, approves and returns them, opens a correction.
- reviewer: reads every submission, returns submitted or approved ones, grants lock exceptions.
- admin: everything, including former provinces' historical submissions.
- commune officer (issue 17): reads and writes only their own commune's reports (opens, enters,
  submits, opens a correction); the commune's province approver approves or returns them; the
  province's officers and approvers read them; never a province report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from tracker.accounts.models import Role

if TYPE_CHECKING:
    from provinces.models import Commune, Province
    from tracker.reporting.models import Submission


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser))


def is_reviewer(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.REVIEWER)


def is_ministry(user: Any) -> bool:
    return is_admin(user) or is_reviewer(user)


def _own_province(user: Any, province_id: int | None) -> bool:
    return bool(
        user.is_authenticated
        and user.role in (Role.OFFICER, Role.APPROVER)
        and user.province_id is not None
        and user.province_id == province_id
    )


def submission_visibility(user: Any) -> Q:
    """A filter on Submission for what the user may read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_ministry(user):
        return Q()
    if user.role == Role.COMMUNE_OFFICER:
        # A commune officer reads their own commune's reports only, never the province's.
        return Q(commune_id=user.commune_id) if user.commune_id else Q(pk__in=[])
    if user.province_id is None:
        return Q(pk__in=[])
    # A merged province reads the historical submissions of the units it was formed from.
    return Q(province_id=user.province_id) | Q(province__successor_id=user.province_id)


def may_read_province(user: Any, province: Province) -> bool:
    if is_ministry(user):
        return True
    return _own_province(user, province.pk) or _own_province(user, province.successor_id)


def _own_commune(user: Any, commune_id: int | None) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.COMMUNE_OFFICER
        and user.commune_id is not None
        and user.commune_id == commune_id
    )


def may_read(user: Any, submission: Submission) -> bool:
    if submission.commune_id is not None and _own_commune(user, submission.commune_id):
        return True
    # A province's staff read their communes' reports; a commune officer no province report.
    return may_read_province(user, submission.province)


def may_create_commune(user: Any, commune: Commune) -> bool:
    """Commune officers open their own commune's reports; admins open any commune's."""
    return is_admin(user) or _own_commune(user, commune.pk)


def may_create(user: Any, province: Province) -> bool:
    """Officers open their own current province's reports; admins open any, former units too."""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.role == Role.OFFICER and _own_province(user, province.pk))


def may_edit_values(user: Any, submission: Submission) -> bool:
    if is_admin(user):
        return True
    if submission.commune_id is not None:
        # A commune's figures are entered by the commune, never by the province's officers.
        return _own_commune(user, submission.commune_id)
    return bool(user.role == Role.OFFICER and _own_province(user, submission.province_id))


def may_submit(user: Any, submission: Submission) -> bool:
    return may_edit_values(user, submission)


def may_approve(user: Any, submission: Submission) -> bool:
    if is_admin(user):
        return True
    return bool(user.role == Role.APPROVER and _own_province(user, submission.province_id))


def may_return(user: Any, submission: Submission) -> bool:
    return is_reviewer(user) or may_approve(user, submission)


def may_open_correction(user: Any, submission: Submission) -> bool:
    return may_edit_values(user, submission) or may_approve(user, submission)


def may_grant_lock_exception(user: Any, submission: Submission) -> bool:
    return is_ministry(user)


def may_comment(user: Any, submission: Submission) -> bool:
    return may_read(user, submission)


def may_record_coverage_note(user: Any, submission: Submission) -> bool:
    """The province's approver explains a province report sent with too few communes approved."""
    return submission.commune_id is None and may_approve(user, submission)


def may_open_period(user: Any) -> bool:
    return is_admin(user)


def may_use_inbox(user: Any) -> bool:
    """The ministry's inbox covers every province; an approver's, their own province's reports
    (the selector filters by submission_visibility)."""
    return is_ministry(user) or bool(
        user.is_authenticated and user.role == Role.APPROVER and user.province_id is not None
    )


def bypasses_lock(user: Any) -> bool:
    """Admins enter historical figures long after the lock date; everyone else needs an exception."""
    return is_admin(user)
