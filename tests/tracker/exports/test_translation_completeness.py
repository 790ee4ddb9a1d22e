"""Every string a user sees has its English, and third-party labels read Vietnamese in Vietnamese.

- each {% translate %} / {% blocktranslate %} string of the project's templates and each model
  label (app, model, field, choice) of the project's apps is in the English catalogue, translated;
- the catalogue's units and the report's words exist in both languages;
- the admin shows django-axes and DRF token labels in Vietnamese, and the project's own in English.
"""

import ast
import re
import unicodedata
from pathlib import Path

import polib
import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

from tests.tracker.exports.conftest import api  # noqa: F401 - the exports fixtures apply here
from tracker.exports.wording import (
    OBJECTIVE_GROUPS,
    SECTIONS,
    UNITS,
    directive_number,
    group_label,
    issuer_label,
    reason_label,
    section_label,
    unit_label,
)

BASE = Path(settings.BASE_DIR)
PROJECT_APPS = ("kpis", "provinces", "seeds", "tracker")
# templatize() turns {% translate "x" %} into gettext(u'x'), {% translate "x" context "c" %} into
# pgettext(u'c', u'x') and blocktranslate into (n)gettext calls of the same shape.
CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'\s*,?\s*)+)")
LITERAL = re.compile(r"u('(?:[^'\\]|\\.)*')")


def _catalogue() -> dict[tuple[str | None, str], str]:
    po = polib.pofile(str(BASE / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural.get(0, "")
        for entry in po
        if not entry.obsolete
    }


def _template_strings() -> list[tuple[str, str | None, str]]:
    """(template, context, msgid) of every translatable string of the project's templates."""
    found = []
    for path in sorted(BASE.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for function, arguments in CALL.findall(code):
            literals = [ast.literal_eval(text) for text in LITERAL.findall(arguments)]
            context = literals.pop(0) if function in ("pgettext", "npgettext") else None
            found.append((str(path.relative_to(BASE)), context, literals[0]))
    return found


def _has_vietnamese(text: str) -> bool:
    return any(0x300 <= ord(c) <= 0x323 for c in unicodedata.normalize("NFD", text)) or "đ" in text.lower()


def test_every_template_string_has_its_english():
    # given
    catalogue = _catalogue()

    # when
    strings = _template_strings()
    missing = [(name, context, msgid) for name, context, msgid in strings if not catalogue.get((context, msgid))]

    # then: templates were read (not a vacuous pass), and none lacks its English
    assert len(strings) > 200
    assert missing == []


def test_every_model_label_of_the_project_reads_english_in_english(english):
    # given
    labels: list[tuple[str, object]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_APPS):
            continue
        labels.append((config.name, config.verbose_name))
        for model in config.get_models():
            meta = model._meta
            labels += [(meta.label, meta.verbose_name), (meta.label, meta.verbose_name_plural)]
            for field in meta.get_fields():
                if hasattr(field, "verbose_name"):
                    labels.append((f"{meta.label}.{field.name}", field.verbose_name))
                for _value, choice in getattr(field, "flatchoices", None) or []:
                    labels.append((f"{meta.label}.{field.name} choice", choice))

    # when
    with translation.override("en"):
        untranslated = [(where, str(label)) for where, label in labels if _has_vietnamese(str(label))]

    # then
    assert len(labels) > 200
    assert untranslated == []


def test_every_unit_of_the_seed_catalogue_has_its_english(english):
    # given: the units the seed files use
    units = set()
    for name in ("indicators.yaml", "data_elements.yaml"):
        units |= set(re.findall(r"^  unit: (.+)$", (BASE / "seeds" / "data" / name).read_text(encoding="utf-8"), re.M))
    words = {unit.strip('"') for unit in units} - {"%", "Mbps"}

    # when
    with translation.override("en"):
        english_units = {unit: unit_label(unit) for unit in words}

    # then: each is in the project's list and translated
    assert sorted(words - set(UNITS)) == []
    assert [unit for unit, text in english_units.items() if _has_vietnamese(text) or text == unit] == []
    assert english_units["người"] == "people" and english_units["tỷ đồng"] == "billion VND"


def test_every_form_section_and_objective_group_of_the_seed_files_has_its_english(english):
    # given: the sections of the report forms and the objective groups of the directives
    forms = (BASE / "seeds" / "data" / "report_forms.yaml").read_text(encoding="utf-8")
    directives = (BASE / "seeds" / "data" / "directives.yaml").read_text(encoding="utf-8")
    sections = {text.strip().strip('"') for text in re.findall(r"^ +- section: (.+)$", forms, re.M)}
    groups = {text.strip().strip('"') for text in re.findall(r"^ +group: (.+)$", directives, re.M)}

    # when
    with translation.override("en"):
        english_sections = {text: section_label(text) for text in sections}
        english_groups = {text: group_label(text) for text in groups}

    # then: each is in the project's list, and its English keeps only document numbers (QĐ, NĐ)
    assert (len(sections), len(groups)) == (12, 28)
    assert sorted(sections - set(SECTIONS)) == [] and sorted(groups - set(OBJECTIVE_GROUPS)) == []
    leftovers = [
        t for t in [*english_sections.values(), *english_groups.values()] if _has_vietnamese(re.sub(r"\S*Đ\S*", "", t))
    ]
    assert leftovers == []
    assert english_groups["5 có"] == "Five haves"
    assert english_sections["Số liệu nền"] == "Baseline figures"


def test_every_directive_name_issuer_and_unmeasured_reason_of_the_seed_files_has_its_english(english):
    # given: the directives' descriptive names (in place of a symbol), issuers, and the reasons
    # an objective has no indicator
    directives = yaml.safe_load((BASE / "seeds" / "data" / "directives.yaml").read_text(encoding="utf-8"))
    names = {d["number"] for d in directives if d.get("number") and not d["number"][0].isdigit()}
    issuers = {d["issuer"] for d in directives if d.get("issuer")}
    reasons = {
        o["not_measurable_reason"]
        for d in directives
        for o in d.get("objectives", [])
        if o.get("not_measurable_reason")
    }

    # when
    with translation.override("en"):
        english_texts = {
            text: label(text)
            for texts, label in ((names, directive_number), (issuers, issuer_label), (reasons, reason_label))
            for text in texts
        }

    # then: document symbols (QĐ, NQ) are proper names and stay
    assert (len(names), len(issuers), len(reasons)) == (6, 7, 22)
    untranslated = [t for t, e in english_texts.items() if e == t or _has_vietnamese(re.sub(r"\S*Đ\S*", "", e))]
    assert untranslated == []
    assert english_texts["Thủ tướng Chính phủ"] == "Prime Minister"
    assert english_texts["Phong trào “Bình dân học vụ số”"] == "“Digital literacy for all” movement"


@pytest.mark.django_db
def test_the_admin_names_third_party_apps_in_vietnamese(client, admin_user, english):
    # given
    client.force_login(admin_user)

    # when
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    # then: DRF's tokens and django-axes' lockouts under Vietnamese names
    for label in ("Mã truy cập API", "Khóa đăng nhập", "Lần thử đăng nhập", "Quản trị – KPI chuyển đổi số"):
        assert label in page
    for label in ("Auth Token", "AUTH TOKEN", ">Axes<", "Access attempts"):
        assert label not in page


@pytest.mark.django_db
def test_the_admin_reads_english_in_english(client, admin_user, english):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get("/admin/").content.decode()

    assert "Login lockouts" in page
    assert "Administration – digital-transformation KPIs" in page
    assert "Khóa đăng nhập" not in page
