"""The English catalogue is complete and is what an English-choosing user sees.

Msgids are Vietnamese (the product is Vietnamese first); English is the only catalogue.
"""

import datetime
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real

from kpis.models import Objective
from tests.factories import DirectiveFactory, FormerProvinceFactory, IndicatorFactory, ProvinceFactory, TargetFactory

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


@pytest.fixture
def stale_catalogue(settings, tmp_path: Path) -> Path:
    """A copy of the English .po next to an older, stale .mo: the command must recompile it."""
    messages = tmp_path / "locale" / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(LOCALE / "en" / "LC_MESSAGES" / "django.po", messages / "django.po")
    mo = messages / "django.mo"
    mo.write_bytes(b"old catalogue")
    os.utime(mo, (1_000_000_000, 1_000_000_000))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    return mo


def test_the_catalogue_is_replaced_only_once_it_is_complete(stale_catalogue, monkeypatch):
    # given: a spy that looks at the catalogue right after the compiled bytes are written
    seen = []
    save_as_mofile = polib.POFile.save_as_mofile

    def spy(self, fpath):
        save_as_mofile(self, fpath)
        seen.append((Path(fpath).parent, Path(fpath).name == "django.mo", stale_catalogue.read_bytes()))

    monkeypatch.setattr(polib.POFile, "save_as_mofile", spy)
    previous_umask = os.umask(0o022)

    # when
    try:
        call_command("compile_translations", stdout=io.StringIO())
    finally:
        os.umask(previous_umask)

    # then: written beside it under another name, while the old one stayed whole; then swapped in
    assert seen == [(stale_catalogue.parent, False, b"old catalogue")]
    assert sorted(path.name for path in stale_catalogue.parent.iterdir()) == ["django.mo", "django.po"]
    compiled = polib.mofile(str(stale_catalogue))
    assert len(compiled) == len([e for e in polib.pofile(str(stale_catalogue.with_suffix(".po"))) if e.translated()])
    assert stale_catalogue.stat().st_mode & 0o777 == 0o644


def test_a_failed_compilation_keeps_the_old_catalogue_and_leaves_no_temporary_file(stale_catalogue, monkeypatch):
    # given: the disk fills up half-way through writing
    def half_written(self, fpath):
        Path(fpath).write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.setattr(polib.POFile, "save_as_mofile", half_written)

    # when
    with pytest.raises(OSError, match="No space left on device"):
        call_command("compile_translations", stdout=io.StringIO())

    # then
    assert stale_catalogue.read_bytes() == b"old catalogue"
    assert sorted(path.name for path in stale_catalogue.parent.iterdir()) == ["django.mo", "django.po"]


@pytest.fixture
def small_catalogue(db):
    """One of some things and two of others, so that both plural forms show on the home page."""
    ProvinceFactory(code="91")
    FormerProvinceFactory(code="91")
    FormerProvinceFactory(code="77")
    directive: Any = DirectiveFactory()
    for order in (1, 2):
        Objective.objects.create(directive=directive, code=f"muc-tieu-{order}", order=order, title=f"Mục tiêu {order}")
    indicator = IndicatorFactory()
    for value, year in ((50, 2025), (70, 2030)):
        TargetFactory(indicator=indicator, source=directive, value=value, deadline=datetime.date(year, 12, 31))


def test_the_home_page_counts_read_in_english_singular_and_plural(client, compiled_catalogue, small_catalogue):
    # when
    response = client.get("/", {"lang": "en"})

    # then
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "<li><strong>1</strong> province or city (2 pre-merger units)</li>" in html
    assert "<li><strong>1</strong> directive, <strong>2</strong> objectives</li>" in html
    assert "<li><strong>1</strong> indicator, <strong>2</strong> targets</li>" in html


def test_the_home_page_counts_stay_as_they_were_in_vietnamese(client, compiled_catalogue, small_catalogue):
    # when
    response = client.get("/", {"lang": "vi"})

    # then
    html = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert "<li><strong>1</strong> tỉnh, thành phố (2 đơn vị trước sáp nhập)</li>" in html
    assert "<li><strong>1</strong> văn bản chỉ đạo, <strong>2</strong> mục tiêu</li>" in html
    assert "<li><strong>1</strong> chỉ tiêu, <strong>2</strong> mục tiêu định lượng</li>" in html
