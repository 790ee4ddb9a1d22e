"""A commune officer on every page and API list the site has (issue 17): never a server error,
never a province's draft. Every URL without a parameter is fetched, and those taking a province
code or id get An Giang's."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.tracker.reporting.conftest import api, fill, open_commune, open_submission

SKIP = ("admin/", "accounts/logout", "sw.js", "__debug__")


def _paths(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, text)
        elif isinstance(pattern, URLPattern):
            yield text


def fetchable(province_id: int, province_code: str) -> list[str]:
    out = []
    for raw in _paths():
        path = "/" + raw.lstrip("^").rstrip("$")
        path = path.replace("<int:province_id>", str(province_id)).replace("<str:code>", province_code)
        path = path.replace("<code>", province_code)
        if "<" in path or "(?P" in path or "\\" in path or any(s in path for s in SKIP):
            continue
        out.append(path)
    out += [
        "/api/v1/templates/?province=91&form=BC_THANG&period=2026-10",
        "/api/v1/dataValueSets.json",
        "/api/v1/dataValueSets.json?orgUnit=91&approvedOnly=false",
        "/api/v1/submissions/?province=91",
        "/api/v1/commune-coverage/?province=91&form=BC_THANG&period=2026-10",
        "/xuat-nhap/mau-nhap-lieu/?province=91&form=BC_THANG&period=2026-10",
        "/api/v1/reports/province/?province=91&period=2026-10",
        "/bao-cao/hop-thu/?status=draft",
    ]
    return sorted(set(out))


@pytest.mark.parametrize("web", [True, False], ids=["pages", "api client"])
def test_a_commune_officer_gets_no_error_and_no_province_draft_anywhere(
    client, web, commune_catalogue, an_giang, communes_91, commune_officer_91, officer_91
):
    # given: An Giang's draft with a figure no commune page may show, and the officer's own draft
    fill(open_submission(officer_91, an_giang, commune_catalogue.form), officer_91, {"BTS_5G": "7654321"})
    open_commune(commune_officer_91, communes_91[0], commune_catalogue.form)
    client.force_login(commune_officer_91)
    caller = client if web else api(commune_officer_91)

    # when
    answers = {path: caller.get(path) for path in fetchable(an_giang.pk, an_giang.code)}

    # then
    errors = {path: r.status_code for path, r in answers.items() if r.status_code >= 500}
    leaks = [
        path
        for path, r in answers.items()
        if r.status_code == 200
        and ("7654321" in r.content.decode(errors="replace") or "7.654.321" in r.content.decode(errors="replace"))
    ]
    assert errors == {}
    assert leaks == []
    assert len(answers) > 40
