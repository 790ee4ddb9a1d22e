from rest_framework import serializers

from kpis.models import DataElement, Directive, Indicator, Objective, ReportForm, ReportFormElement, Target


class DataElementSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataElement
        fields = [
            "code",
            "name",
            "name_en",
            "description",
            "value_type",
            "unit",
            "min_value",
            "max_value",
            "time_aggregation",
            "space_aggregation",
        ]


class TargetSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", allow_null=True, default=None)
    source = serializers.CharField(source="source.code")  # type: ignore[assignment]

    class Meta:
        model = Target
        fields = ["province", "value", "baseline_value", "baseline_period", "deadline", "source", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    data_elements = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "definition",
            "numerator",
            "denominator",
            "factor",
            "unit",
            "direction",
            "natural_limit",
            "periodicity",
            "data_elements",
            "targets",
            "objectives",
        ]


class ObjectiveSerializer(serializers.ModelSerializer):
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Objective
        fields = ["code", "group", "order", "title", "title_en", "indicators", "not_measurable_reason"]


class DirectiveSerializer(serializers.ModelSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Directive
        fields = [
            "code",
            "kind",
            "number",
            "issuer",
            "issued_on",
            "title",
            "title_en",
            "url",
            "summary",
            "objectives",
        ]


class ReportFormElementSerializer(serializers.ModelSerializer):
    element = serializers.CharField(source="element.code")

    class Meta:
        model = ReportFormElement
        fields = ["element", "order", "required", "section"]


class ReportFormSerializer(serializers.ModelSerializer):
    elements = ReportFormElementSerializer(source="form_elements", many=True, read_only=True)

    class Meta:
        model = ReportForm
        fields = ["code", "name", "name_en", "periodicity", "due_day", "lock_days", "elements"]
