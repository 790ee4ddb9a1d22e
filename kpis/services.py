"""Catalogue writes that more than one entry point needs (admin, seed loader)."""

from __future__ import annotations

from django.db import transaction

from kpis.models import DataElement, Indicator


@transaction.atomic
def indicator_elements_sync(*, indicator: Indicator) -> bool:
    """Set the indicator's data elements to exactly those its formulas use; True if they changed.

    The M2M is derived, never edited by hand, so that a formula and its elements cannot disagree.
    """
    wanted = set(DataElement.objects.filter(code__in=indicator.element_codes()).values_list("pk", flat=True))
    present = set(indicator.data_elements.values_list("pk", flat=True))
    if wanted == present:
        return False
    indicator.data_elements.set(wanted)
    return True
