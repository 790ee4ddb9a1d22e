"""Fixtures shared by the seed, catalogue and province tests: the real catalogue, loaded or copied."""

import shutil
from pathlib import Path

import pytest

from seeds.loader import DEFAULT_DATA_DIR, catalogue_load

# An independent copy of the units' facts (sources in its README), checked against seeds/data.
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "provinces" / "reference"


@pytest.fixture
def catalogue(db):
    """The real catalogue from seeds/data, loaded."""
    return catalogue_load()


@pytest.fixture
def data_dir(tmp_path):
    """A scratch copy of seeds/data that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


@pytest.fixture
def reference_dir():
    return REFERENCE_DIR
