"""Who reads the commune level's figures (issue 17): the drill-down pages and exports.

- the ministry (reviewers, admins): every commune;
- a province's officers and approvers: the communes of their province;
- a commune officer: their own commune only (its page and exports, never the province's list).

Signing in is required even when the public portal is on: commune figures are working figures
of the province, not a publication. A refusal never says whether the unit exists (404), except
for a role that may never do the action (403), as the exports API does.
"""

from __future__ import annotations

from typing import Any

from provinces.models import Commune, Province
from tracker.accounts import permissions
from tracker.accounts.models import Role


def may_read_communes_of(user: Any, province: Province) -> bool:
    """The province's list of communes (ranking, scorecard, the province-wide exports)."""
    if not user.is_authenticated:
        return False
    if permissions.is_ministry(user):
        return True
    return bool(user.role in (Role.OFFICER, Role.APPROVER) and user.province_id == province.pk)


def may_read_commune(user: Any, commune: Commune) -> bool:
    """One commune's page and exports."""
    if not user.is_authenticated:
        return False
    if user.role == Role.COMMUNE_OFFICER:
        return bool(user.commune_id is not None and user.commune_id == commune.pk)
    return may_read_communes_of(user, commune.province)


def is_commune_officer(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.COMMUNE_OFFICER)
