from rest_framework import serializers

from provinces.models import Commune, Province


class ProvinceRefSerializer(serializers.ModelSerializer):
    former = serializers.SerializerMethodField()

    class Meta:
        model = Province
        fields = ["code", "name", "former"]

    def get_former(self, obj: Province) -> bool:
        return not obj.is_current


class ProvinceSerializer(serializers.ModelSerializer):
    former = serializers.SerializerMethodField()
    # null for a current unit (and for a former one whose successor is not recorded)
    successor = ProvinceRefSerializer(read_only=True, allow_null=True)
    predecessors = ProvinceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Province
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "former",
            "valid_from",
            "valid_to",
            "successor",
            "predecessors",
            "area_km2",
            "population",
        ]

    def get_former(self, obj: Province) -> bool:
        return not obj.is_current


class CommuneRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["code", "name"]


class CommuneSerializer(serializers.ModelSerializer):
    former = serializers.SerializerMethodField()
    province = ProvinceRefSerializer(read_only=True)
    # null for a current unit (and for a former one whose successor is not recorded)
    successor = CommuneRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Commune
        fields = ["code", "name", "kind", "former", "province", "valid_from", "valid_to", "successor"]

    def get_former(self, obj: Commune) -> bool:
        return not obj.is_current
