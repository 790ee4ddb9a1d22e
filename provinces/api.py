from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from provinces.models import Province
from provinces.selectors import province_list
from provinces.serializers import ProvinceSerializer

LEVELS = ("current", "former")


@extend_schema(
    parameters=[OpenApiParameter("level", str, enum=list(LEVELS), description="current: 34 units; former: 63 units")]
)
class ProvinceListApi(generics.ListAPIView):
    """Provincial units, current and former, with their lineage."""

    serializer_class = ProvinceSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Province]:
        level = self.request.query_params.get("level")
        # A closed set: an unknown level is refused (400), not answered with every unit.
        if level is not None and level not in LEVELS:
            raise ValidationError({"level": [_("Chọn “current” hoặc “former”.")]})
        return province_list(level=level)
