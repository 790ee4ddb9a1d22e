"""API fuzzing: schemathesis generates requests from the project's own OpenAPI schema
(/api/v1/schema/) and sends them in-process (WSGI) as each role. Every answer must be free of
server errors and match the schema where the schema describes it.

Bounded for CI: SCHEMATHESIS_MAX_EXAMPLES examples per operation and role (default 10),
derandomized so a run is reproducible.
"""

import contextlib
import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from kpis.models import ReportForm
from provinces.models import Province
from seeds.loader import catalogue_load
from tests.factories import UserFactory
from tracker.accounts.models import Role
from tracker.notifications.models import Notification
from tracker.reporting import services as reporting

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", 5))
ROLES = ["officer", "approver", "reviewer", "admin"]


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    from tracker.wsgi import application

    # schemathesis' WSGI client calls itself "localhost"
    with override_settings(ALLOWED_HOSTS=["localhost"]), django_db_blocker.unblock(), same_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
        # Schema-valid input may still break a business rule no schema can state (a period not yet
        # open, a stale version, a report in the wrong status): that is a documented 400, 409 or 410.
        schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
            expected_statuses=["2xx", "3xx", "400", "401", "403", "404", "409", "410", "429"]
        )
        yield schema


@contextlib.contextmanager
def same_connection():
    """Keep the test's database connection across in-process requests, as Django's test client does:
    Django closes "old" connections at each request's start and end, which would close the one
    holding the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings):
    """The real catalogue, a user of each role, An Giang's October in draft and September submitted."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    catalogue_load()
    an_giang = Province.objects.get(code="91", valid_to__isnull=True)
    users: dict[str, Any] = {
        "officer": UserFactory(username="officer_91", role=Role.OFFICER, province=an_giang),
        "approver": UserFactory(username="approver_91", role=Role.APPROVER, province=an_giang),
        "reviewer": UserFactory(username="reviewer", role=Role.REVIEWER),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    form = ReportForm.objects.filter(periodicity="monthly").order_by("code").first()
    assert form is not None
    for period in ("2026-09", "2026-10"):
        reporting.submission_create(user=users["officer"], province=an_giang, form=form, period=period)
    for user in users.values():
        Notification.objects.create(recipient=user, event="due_soon", key="k", period="2026-10", title="Nhắc hạn")
    return {role: Token.objects.create(user=user).key for role, user in users.items()}


def fuzz(operation, token):
    """Every generated request (valid and invalid data) to one operation; the first failure raised."""
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    def run(case):
        # Every built-in check of schemathesis: server errors, status codes, content types, bodies,
        # headers, negative data rejected, positive data accepted, authentication enforced, …
        case.call_and_validate(headers={"Authorization": f"Token {token}"})

    run()


@pytest.mark.parametrize("role", ROLES)
def test_the_api_never_fails_and_matches_its_schema(api_schema, world, role):
    # given
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures = {}

    # when
    for operation in operations:
        try:
            fuzz(operation, world[role])
        except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports every failing operation
            failures[operation.label] = "\n".join(str(exc).splitlines()[:30])

    # then
    assert len(operations) >= 30
    assert not failures, "\n\n".join(f"== {label}\n{text}" for label, text in sorted(failures.items()))


@pytest.mark.parametrize("role", ROLES)
def test_sequences_of_calls_match_the_schema(api_schema, world, role):
    """The stateful phase: schemathesis chains operations along the links it infers (an id returned
    by one call used by the next) and checks every answer with all its checks."""
    token = world[role]

    # In the schema's configuration, as the command line's --header: the authentication checks
    # then know the token is a real one and probe without it.
    saved = dict(api_schema.config.headers or {})
    api_schema.config.update(headers={"Authorization": f"Token {token}"})
    Calls = api_schema.as_state_machine()
    try:
        run_calls(Calls)
    finally:
        api_schema.config.headers = saved


def run_calls(Calls):
    Calls.run(
        settings=hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=5,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
    )
