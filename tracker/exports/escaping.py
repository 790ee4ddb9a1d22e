"""Spreadsheet formula injection: text that a spreadsheet would run as a formula.

A province name, a comment or an indicator label typed by a user could start with `=`, `+`, `-`
or `@` (or a tab/carriage return that some spreadsheets skip before one of those) and be
evaluated when a reviewer opens the export. Text cells are therefore neutralised: in CSV with a
leading single quote, in XLSX by storing them as text (never as a formula). Numbers are written
as typed numbers and are never escaped: -5 stays a number.
"""

from __future__ import annotations

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES)


def csv_text(text: str) -> str:
    """The CSV form of a text cell: prefixed with a single quote when it could be a formula."""
    return "'" + text if is_dangerous(text) else text
