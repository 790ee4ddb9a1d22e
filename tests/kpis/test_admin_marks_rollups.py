"""Catalogue edits in the admin tell the roll-ups, when the edited model is one the figures are computed from."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from kpis.models import Indicator, Target, ValidationRule
from provinces.models import Province
from tests.rollup_marks import approved_october, catalogue_marks, fibre_rate
from tracker.progress.models import DirtyUnit
from tracker.progress.services import rollups_recompute_all, rollups_recompute_dirty

NOTICE = "Danh mục đã thay đổi: số liệu tổng hợp sẽ được tính lại toàn bộ."


@pytest.fixture
def rolled_up(catalogue):
    """The real catalogue, loaded, and the roll-up its load asked for done: nothing is pending."""
    rollups_recompute_dirty()
    return catalogue


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def change_form_data(client, url):
    """What the change form at `url` posts back when the user changes nothing (main form and inlines)."""
    context = client.get(url).context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, str | list[str]] = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None:
                data[field.html_name] = ""
            elif value is False:
                continue  # an unticked box is not posted
            elif value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)
    return data


def test_changing_an_indicators_factor_marks_the_rollups_naming_it_and_the_figures_follow(
    rolled_up, admin_client, django_capture_on_commit_callbacks
):
    # given: An Giang's October rolled up with factor 100
    an_giang = Province.objects.current().get(code="91")
    approved_october(an_giang, HH_FIBRE=300, HOUSEHOLDS=400)
    rollups_recompute_all()
    assert fibre_rate(an_giang) == Decimal(75)
    indicator = Indicator.objects.get(code="FIBRE_HH_RATE")
    url = f"/admin/kpis/indicator/{indicator.pk}/change/"
    data = change_form_data(admin_client, url) | {"factor": "1"}

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)
    marks = catalogue_marks()
    for callback in callbacks:
        callback()  # the commit, with tasks in-process

    # then
    assert response.status_code == 302
    assert (marks, len(callbacks)) == (
        [f"admin save Indicator #{indicator.pk} FIBRE_HH_RATE – Tỷ lệ hộ gia đình sử dụng Internet cáp quang"],
        1,
    )
    assert NOTICE in [str(message) for message in get_messages(response.wsgi_request)]
    assert (fibre_rate(an_giang), DirtyUnit.objects.count()) == (Decimal("0.75"), 0)


def test_changing_only_a_target_in_the_indicators_inline_marks_the_rollups(
    rolled_up, admin_client, django_capture_on_commit_callbacks
):
    # given
    indicator = Indicator.objects.get(code="FIBRE_HH_RATE")
    url = f"/admin/kpis/indicator/{indicator.pk}/change/"
    data = change_form_data(admin_client, url) | {"targets-0-value": "85"}

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)

    # then
    assert (response.status_code, Target.objects.get(indicator=indicator).value) == (302, Decimal(85))
    assert (catalogue_marks(), len(callbacks)) == (
        [f"admin save Indicator #{indicator.pk} FIBRE_HH_RATE – Tỷ lệ hộ gia đình sử dụng Internet cáp quang"],
        1,
    )


def test_saving_an_indicator_unchanged_marks_nothing(rolled_up, admin_client, django_capture_on_commit_callbacks):
    # given
    indicator = Indicator.objects.get(code="FIBRE_HH_RATE")
    url = f"/admin/kpis/indicator/{indicator.pk}/change/"
    data = change_form_data(admin_client, url)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)

    # then
    assert (response.status_code, DirtyUnit.objects.count(), callbacks) == (302, 0, [])


def test_changing_a_provinces_validity_marks_the_rollups_naming_it(
    rolled_up, admin_client, django_capture_on_commit_callbacks
):
    # given
    former = Province.objects.former().get(code="91")
    url = f"/admin/provinces/province/{former.pk}/change/"
    data = change_form_data(admin_client, url) | {"valid_to": "2025-06-29"}

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)

    # then
    assert (response.status_code, catalogue_marks(), len(callbacks)) == (
        302,
        [f"admin save Province #{former.pk} 91 Tỉnh Kiên Giang (cũ)"],
        1,
    )


def test_changing_a_validation_rule_marks_nothing(rolled_up, admin_client, django_capture_on_commit_callbacks):
    # given: cross-checks of a report feed no computed figure
    rule = ValidationRule.objects.get(code="HS_ONLINE_LE_RECEIVED")
    url = f"/admin/kpis/validationrule/{rule.pk}/change/"
    data = change_form_data(admin_client, url) | {"message_en": "Online dossiers cannot exceed dossiers received."}

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)

    # then
    rule.refresh_from_db()
    assert (response.status_code, rule.message_en) == (302, "Online dossiers cannot exceed dossiers received.")
    assert (DirtyUnit.objects.count(), callbacks) == (0, [])


def test_deleting_a_target_marks_the_rollups_naming_it(rolled_up, admin_client, django_capture_on_commit_callbacks):
    # given
    target = Target.objects.get(indicator__code="FIBRE_HH_RATE")
    name = str(target)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(f"/admin/kpis/target/{target.pk}/delete/", {"post": "yes"})

    # then
    assert (response.status_code, Target.objects.filter(pk=target.pk).exists()) == (302, False)
    assert (catalogue_marks(), len(callbacks)) == ([f"admin delete Target #{target.pk} {name}"], 1)


def test_deleting_targets_with_the_list_action_marks_the_rollups_once(
    rolled_up, admin_client, django_capture_on_commit_callbacks
):
    # given
    targets = list(Target.objects.filter(indicator__code="FIBRE_HH_RATE"))
    names = ", ".join(str(target) for target in targets)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            "/admin/kpis/target/",
            {"action": "delete_selected", "post": "yes", "_selected_action": [str(t.pk) for t in targets]},
        )

    # then
    assert (response.status_code, Target.objects.filter(indicator__code="FIBRE_HH_RATE").count()) == (302, 0)
    assert (catalogue_marks(), len(callbacks)) == ([f"admin delete Target ×{len(targets)}: {names}"], 1)
