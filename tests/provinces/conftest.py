import pytest

from tests.factories import CommuneFactory
from tests.seeds.catalogue_fixtures import catalogue, data_dir, reference_dir  # noqa: F401


@pytest.fixture
def commune_factory():
    return CommuneFactory
