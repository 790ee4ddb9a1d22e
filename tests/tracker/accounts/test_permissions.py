"""The permission predicates the reporting services rely on."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from provinces.models import Province
from tracker.accounts import permissions
from tracker.reporting.models import Submission


def a_submission(province: Province, form) -> Submission:
    return Submission(
        province=province,
        form=form,
        period="2026-10",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
    )


@pytest.fixture
def form(report_form_factory):
    return report_form_factory(code="BC")


@pytest.mark.parametrize(
    ("who", "read", "edit", "approve", "return_", "correct", "grant", "create"),
    [
        ("officer_91", True, True, False, False, True, False, True),
        ("approver_91", True, False, True, True, True, False, False),
        ("officer_01", False, False, False, False, False, False, False),
        ("approver_01", False, False, False, False, False, False, False),
        ("reviewer", True, False, False, True, False, True, False),
        ("admin_user", True, True, True, True, True, True, True),
    ],
)
def test_roles_on_an_giangs_submission(
    request, an_giang, ha_noi, form, who, read, edit, approve, return_, correct, grant, create
):
    # given
    user = request.getfixturevalue(who)
    submission = a_submission(an_giang, form)

    # then
    assert (
        permissions.may_read(user, submission),
        permissions.may_edit_values(user, submission),
        permissions.may_approve(user, submission),
        permissions.may_return(user, submission),
        permissions.may_open_correction(user, submission),
        permissions.may_grant_lock_exception(user, submission),
        permissions.may_create(user, an_giang),
    ) == (read, edit, approve, return_, correct, grant, create)


def test_anonymous_may_do_nothing(an_giang, form):
    anonymous = AnonymousUser()
    submission = a_submission(an_giang, form)
    assert not permissions.may_read(anonymous, submission)
    assert not permissions.may_create(anonymous, an_giang)
    assert Submission.objects.filter(permissions.submission_visibility(anonymous)).count() == 0


def test_merged_province_reads_but_never_writes_its_predecessors_history(an_giang, officer_91, admin_user, form):
    # given: Kiên Giang (old code 91) became part of the new An Giang
    kien_giang = Province.objects.former().get(code="91")
    historical = a_submission(kien_giang, form)

    # then
    assert permissions.may_read(officer_91, historical)
    assert not permissions.may_edit_values(officer_91, historical)
    assert not permissions.may_create(officer_91, kien_giang)
    assert permissions.may_create(admin_user, kien_giang)
    assert permissions.bypasses_lock(admin_user) and not permissions.bypasses_lock(officer_91)


def test_visibility_filter_matches_the_predicate(an_giang, ha_noi, officer_91, reviewer, form):
    # given
    own = a_submission(an_giang, form)
    own.save()
    other = a_submission(ha_noi, form)
    other.save()
    former = a_submission(Province.objects.former().get(code="89"), form)
    former.save()

    # then
    visible = set(Submission.objects.filter(permissions.submission_visibility(officer_91)).values_list("pk", flat=True))
    assert visible == {own.pk, former.pk}
    assert Submission.objects.filter(permissions.submission_visibility(reviewer)).count() == 3
    assert permissions.may_use_inbox(reviewer) and not permissions.may_use_inbox(officer_91)
