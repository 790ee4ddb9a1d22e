from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError

from provinces.models import Commune, Province
from provinces.selectors import commune_for, commune_list, province_ids_with_code, province_list
from provinces.serializers import CommuneSerializer, ProvinceSerializer

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


class CommuneFilters(serializers.Serializer):
    """The query string of the commune list; a value that names nothing is refused, never ignored."""

    province = serializers.RegexField(
        r"^\d{2}$", required=False, error_messages={"invalid": gettext_lazy("Mã tỉnh gồm 2 chữ số.")}
    )
    kind = serializers.ChoiceField(
        choices=Commune.Kind.choices,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Loại “{input}” không hợp lệ; chọn một trong: xa, phuong, dac_khu.")
        },
    )
    on = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ (dùng YYYY-MM-DD).")},
    )

    def validate_province(self, code: str) -> list[int]:
        ids = province_ids_with_code(code)
        if not ids:
            raise serializers.ValidationError(_("Không có tỉnh, thành phố mã “%(code)s”.") % {"code": code})
        return ids


@extend_schema(
    parameters=[
        OpenApiParameter("province", str, description="Mã tỉnh, thành phố (2 chữ số), ví dụ 91"),
        OpenApiParameter("kind", str, enum=Commune.Kind.values, description="xa: xã; phuong: phường; dac_khu: đặc khu"),
        OpenApiParameter("on", str, description="Chỉ các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD)"),
    ],
    responses={200: CommuneSerializer(many=True), 400: OpenApiResponse(description="Giá trị lọc không hợp lệ")},
)
class CommuneListApi(generics.ListAPIView):
    """Commune-level units (xã, phường, đặc khu; QĐ 19/2025/QĐ-TTg) with their province, by code."""

    serializer_class = CommuneSerializer

    def get_queryset(self) -> QuerySet[Commune]:
        query = self.request.query_params
        filters = CommuneFilters(data={name: query[name] for name in ("province", "kind", "on") if query.get(name)})
        filters.is_valid(raise_exception=True)
        data: dict[str, Any] = filters.validated_data
        return commune_list(province_ids=data.get("province"), kind=data.get("kind"), on=data.get("on"))


@extend_schema(responses={200: CommuneSerializer, 404: OpenApiResponse(description="Không có đơn vị mã này")})
class CommuneDetailApi(generics.RetrieveAPIView):
    """One commune-level unit by its 5-digit code: the current unit, else the one that ended last."""

    serializer_class = CommuneSerializer
    queryset = Commune.objects.all()  # for the schema's path parameter; get_object reads the selector
    lookup_field = "code"

    def get_object(self) -> Commune:
        code = self.kwargs["code"]
        commune = commune_for(code)
        if commune is None:
            raise NotFound(_("Không có xã, phường, đặc khu mã “%(code)s”.") % {"code": code})
        return commune
