import pytest

from tests.factories import (
    DataElementFactory,
    DirectiveFactory,
    FormerProvinceFactory,
    IndicatorFactory,
    ProvinceFactory,
    ReportFormElementFactory,
    ReportFormFactory,
    TargetFactory,
    UserFactory,
)
from tracker.accounts.models import Role


@pytest.fixture
def province_factory():
    return ProvinceFactory


@pytest.fixture
def former_province_factory():
    return FormerProvinceFactory


@pytest.fixture
def user_factory():
    return UserFactory


@pytest.fixture
def directive_factory():
    return DirectiveFactory


@pytest.fixture
def data_element_factory():
    return DataElementFactory


@pytest.fixture
def indicator_factory():
    return IndicatorFactory


@pytest.fixture
def target_factory():
    return TargetFactory


@pytest.fixture
def report_form_factory():
    return ReportFormFactory


@pytest.fixture
def report_form_element_factory():
    return ReportFormElementFactory


@pytest.fixture
def an_giang(db):
    """The new An Giang (code 91) and its predecessors, former An Giang (89) and Kiên Giang (91)."""
    current = ProvinceFactory(code="91", name="Tỉnh An Giang")
    FormerProvinceFactory(code="89", name="Tỉnh An Giang", successor=current)
    FormerProvinceFactory(code="91", name="Tỉnh Kiên Giang", successor=current)
    return current


@pytest.fixture
def ha_noi(db):
    current = ProvinceFactory(code="01", name="Thành phố Hà Nội", kind="thanh_pho")
    FormerProvinceFactory(code="01", name="Thành phố Hà Nội", kind="thanh_pho", successor=current)
    return current


@pytest.fixture
def officer_91(an_giang):
    return UserFactory(username="officer_91", role=Role.OFFICER, province=an_giang)


@pytest.fixture
def approver_91(an_giang):
    return UserFactory(username="approver_91", role=Role.APPROVER, province=an_giang)


@pytest.fixture
def officer_01(ha_noi):
    return UserFactory(username="officer_01", role=Role.OFFICER, province=ha_noi)


@pytest.fixture
def approver_01(ha_noi):
    return UserFactory(username="approver_01", role=Role.APPROVER, province=ha_noi)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role=Role.REVIEWER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run Celery tasks in-process, as the embedded default does, even when REDIS_URL is set.

    Integration tests start real workers and keep the broker; every other test expects a task
    enqueued on commit to have run by the time the request returns.
    """
    if "integration" in request.keywords or "resilience" in str(request.fspath):
        yield
        return
    from celery._state import _set_task_join_will_block

    from tracker.celery import app

    # Celery marks "inside a task" in one process-wide flag, set and restored around each eager
    # task; eager tasks of a live server's threads overlapping in time (the load test) can leave it
    # set, and every later `.get()` in this process would then refuse to run.
    _set_task_join_will_block(False)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
