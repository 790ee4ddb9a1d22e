"""Fixtures shared by the seed, catalogue and province tests: the real catalogue, loaded or copied."""

import shutil
from pathlib import Path

import pytest

from seeds.loader import DEFAULT_DATA_DIR, catalogue_load

# ../shared/reference beside the repository (present on developer machines and in CI).
REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference"


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
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"reference files not found at {REFERENCE_DIR}")
    return REFERENCE_DIR
