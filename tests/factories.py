"""Core factories shared by all test folders; app-specific ones live beside their tests."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from kpis.models import DataElement, Directive, Indicator, ReportForm, ReportFormElement, Target
from provinces.models import MERGER_DATE, Commune, Province
from tracker.accounts.models import Role, User


class ProvinceFactory(DjangoModelFactory):
    valid_to: datetime.date | None

    class Meta:
        model = Province
        django_get_or_create = ("code", "valid_from")

    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    name = factory.LazyAttribute(lambda o: f"Tỉnh {o.code}")
    kind = Province.Kind.TINH
    valid_from = MERGER_DATE
    valid_to = None


class FormerProvinceFactory(ProvinceFactory):
    valid_from = datetime.date(2008, 8, 1)
    valid_to = datetime.date(2025, 6, 30)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code", "valid_from")

    code = factory.Sequence(lambda n: f"{n % 100000:05d}")
    name = factory.LazyAttribute(lambda o: f"Xã {o.code}")
    kind = Commune.Kind.XA
    province = factory.SubFactory(ProvinceFactory)
    valid_from = MERGER_DATE
    valid_to = None


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class CommuneOfficerFactory(UserFactory):
    """A commune officer: their province is their commune's province."""

    role = Role.COMMUNE_OFFICER
    commune = factory.SubFactory(CommuneFactory)
    province = factory.LazyAttribute(lambda o: o.commune.province)


class DirectiveFactory(DjangoModelFactory):
    class Meta:
        model = Directive
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"qd-{n}")
    kind = Directive.Kind.DECISION
    number = factory.Sequence(lambda n: f"{n}/QĐ-TTg")
    title = factory.Sequence(lambda n: f"Quyết định {n}")
    issued_on = datetime.date(2022, 1, 1)


class DataElementFactory(DjangoModelFactory):
    class Meta:
        model = DataElement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"EL_{n}")
    name = factory.LazyAttribute(lambda o: f"Số liệu {o.code}")
    value_type = DataElement.ValueType.INTEGER
    min_value = Decimal(0)
    time_aggregation = DataElement.TimeAggregation.SUM
    space_aggregation = DataElement.SpaceAggregation.SUM


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND_{n}")
    name = factory.LazyAttribute(lambda o: f"Chỉ tiêu {o.code}")
    numerator = "EL_0"
    denominator = ""
    factor = Decimal(1)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal(100)
    deadline = datetime.date(2025, 12, 31)
    source = factory.SubFactory(DirectiveFactory)


class ReportFormFactory(DjangoModelFactory):
    class Meta:
        model = ReportForm
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"FORM{n}")
    name = factory.LazyAttribute(lambda o: f"Biểu {o.code}")
    due_day = 5
    lock_days = 30


class ReportFormElementFactory(DjangoModelFactory):
    class Meta:
        model = ReportFormElement

    form = factory.SubFactory(ReportFormFactory)
    element = factory.SubFactory(DataElementFactory)
    order = factory.Sequence(int)
