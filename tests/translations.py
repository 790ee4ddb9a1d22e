"""The English catalogue compiled into a copy of locale/, for tests that read pages, reports or
messages in English. Import the fixture into a conftest or a test module to use it."""

import io
import shutil
from pathlib import Path

import pytest
from asgiref.local import Local
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils.translation import trans_real


def reset_translation_cache() -> None:
    trans_real._translations = {}  # type: ignore[attr-defined]
    trans_real._default = None  # type: ignore[attr-defined]
    trans_real._active = Local()  # type: ignore[attr-defined]
    trans_real.translation_catalog_exists.cache_clear()  # type: ignore[attr-defined]


@pytest.fixture
def english(settings, tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(Path(django_settings.BASE_DIR) / "locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]
    call_command("compile_translations", stdout=io.StringIO())
    reset_translation_cache()
    yield
    reset_translation_cache()
