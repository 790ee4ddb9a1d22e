from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from provinces.models import Province
from provinces.selectors import province_list
from provinces.serializers import ProvinceSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("level", str, enum=["current", "former"], description="current: 34 units; former: 63 units")
    ]
)
class ProvinceListApi(generics.ListAPIView):
    """Provincial units, current and former, with their lineage."""

    serializer_class = ProvinceSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Province]:
        return province_list(level=self.request.query_params.get("level"))
