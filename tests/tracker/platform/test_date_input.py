"""Dates typed the Vietnamese way are read day first on Vietnamese pages (the admin included)."""

import datetime

import pytest
from django import forms
from django.utils import translation


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01/07/2025", datetime.date(2025, 7, 1)),
        ("31/12/2025", datetime.date(2025, 12, 31)),
        ("2025-07-01", datetime.date(2025, 7, 1)),
    ],
)
def test_a_vietnamese_page_reads_a_typed_date_day_first(typed, expected):
    # when
    with translation.override("vi"):
        value = forms.DateField().clean(typed)

    # then
    assert value == expected


def test_a_vietnamese_page_reads_a_typed_date_and_time_day_first():
    with translation.override("vi"):
        value = forms.DateTimeField().clean("01/07/2025 08:30")

    assert (value.year, value.month, value.day, value.hour, value.minute) == (2025, 7, 1, 8, 30)


def test_an_english_page_keeps_the_english_reading():
    with translation.override("en"):
        value = forms.DateField().clean("01/07/2025")

    assert value == datetime.date(2025, 1, 7)
