from rest_framework import generics

from kpis import selectors
from kpis.serializers import (
    DataElementSerializer,
    DirectiveSerializer,
    IndicatorSerializer,
    ReportFormSerializer,
)


class DirectiveListApi(generics.ListAPIView):
    """Directives with their objectives and the indicators that measure them."""

    serializer_class = DirectiveSerializer
    pagination_class = None
    queryset = selectors.directive_list()


class IndicatorListApi(generics.ListAPIView):
    """Indicators (KPIs) with formulas, data elements and targets."""

    serializer_class = IndicatorSerializer
    pagination_class = None
    queryset = selectors.indicator_list()


class IndicatorDetailApi(generics.RetrieveAPIView):
    serializer_class = IndicatorSerializer
    lookup_field = "code"
    queryset = selectors.indicator_list()


class DataElementListApi(generics.ListAPIView):
    serializer_class = DataElementSerializer
    pagination_class = None
    queryset = selectors.data_element_list()


class ReportFormListApi(generics.ListAPIView):
    serializer_class = ReportFormSerializer
    pagination_class = None
    queryset = selectors.report_form_list()
