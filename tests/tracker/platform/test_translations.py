"""The English catalogue is complete and is what an English-choosing user sees.

Msgids are Vietnamese (the product is Vietnamese first); English is the only catalogue.
"""

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

LOCALE = Path(settings.BASE_DIR) / "locale"
ENGLISH_CATALOGUES = sorted((LOCALE / "en" / "LC_MESSAGES").glob("*.po"))

# %(name)s, %(count)d, %s, %d, %% ... as Python's %-formatting reads them.
PYTHON_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _reset_translation_cache() -> None:
    # Django caches loaded catalogues per process; a test that compiles must not see a stale one.
    trans_real._translations = {}  # type: ignore[attr-defined]
    trans_real._default = None  # type: ignore[attr-defined]
    trans_real._active = Local()  # type: ignore[attr-defined]
    trans_real.translation_catalog_exists.cache_clear()  # type: ignore[attr-defined]


def _entries() -> list[tuple[str, polib.POEntry]]:
    return [
        (path.name, entry) for path in ENGLISH_CATALOGUES for entry in polib.pofile(str(path)) if not entry.obsolete
    ]


def _translations_of(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgstr[0] against msgid, every other plural form against msgid_plural."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 else entry.msgid_plural, text) for index, text in sorted(entry.msgstr_plural.items())
    ]


def _placeholder_mismatches(entry: polib.POEntry) -> list[str]:
    problems = []
    for source, text in _translations_of(entry):
        for pattern in (PYTHON_PLACEHOLDER, BRACE_PLACEHOLDER, HTML_TAG):
            if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                problems.append(f"{source!r} -> {text!r}")
    return problems


@pytest.fixture
def compiled_catalogue(settings, tmp_path: Path) -> Iterator[Path]:
    # Compile a copy, so parallel test workers never read a .mo that another one is writing.
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [locale]
    call_command("compile_translations", stdout=io.StringIO())
    _reset_translation_cache()
    yield locale
    _reset_translation_cache()


def test_there_is_an_english_django_catalogue():
    assert [path.name for path in ENGLISH_CATALOGUES if path.name == "django.po"] == ["django.po"]


def test_every_english_entry_is_translated():
    untranslated = [f"{name}: {entry.msgid!r}" for name, entry in _entries() if not entry.translated()]

    assert untranslated == []


def test_no_english_entry_is_fuzzy():
    fuzzy = [f"{name}: {entry.msgid!r}" for name, entry in _entries() if "fuzzy" in entry.flags]

    assert fuzzy == []


def test_every_plural_entry_has_both_english_forms():
    incomplete = [
        f"{name}: {entry.msgid!r}"
        for name, entry in _entries()
        if entry.msgid_plural and sorted(entry.msgstr_plural) != [0, 1]
    ]

    assert incomplete == []


def test_english_translations_keep_the_placeholders_and_tags_of_the_vietnamese():
    mismatches = [f"{name}: {problem}" for name, entry in _entries() for problem in _placeholder_mismatches(entry)]

    assert mismatches == []


def test_python_format_entries_are_flagged_so_gettext_checks_them():
    unflagged = [
        f"{name}: {entry.msgid!r}"
        for name, entry in _entries()
        if re.search(r"%\([a-z_]+\)[sd]", entry.msgid) and "python-format" not in entry.flags
    ]

    assert unflagged == []


def test_the_english_catalogue_declares_its_language_and_plural_rule():
    catalogue = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))

    assert catalogue.metadata["Language"] == "en"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_the_english_catalogue_compiles(compiled_catalogue):
    # given / when: the fixture compiled it with the build's own command

    # then
    assert (compiled_catalogue / "en" / "LC_MESSAGES" / "django.mo").stat().st_size > 0


@pytest.mark.django_db
def test_the_home_page_is_in_english_when_the_language_cookie_says_en(client, settings, compiled_catalogue):
    # given
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # when
    response = client.get("/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "<h1>Provincial digital transformation indicator tracker</h1>" in html
    assert "Theo dõi chỉ tiêu chuyển đổi số cấp tỉnh" not in html


@pytest.mark.django_db
def test_the_home_page_stays_vietnamese_without_the_language_cookie(client, compiled_catalogue):
    # given: a browser that prefers English but made no choice in the app

    # when
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "<h1>Theo dõi chỉ tiêu chuyển đổi số cấp tỉnh</h1>" in html
    assert "Provincial digital transformation indicator tracker" not in html
