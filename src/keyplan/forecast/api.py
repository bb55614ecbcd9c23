"""API for the forecast: the same figures as ``keyplan forecast``, per account in the
user's scope (paginated), and one account's months, lines, weighted deals and ideas."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.accounts.models import Account
from keyplan.api.pagination import KeyplanPagination, paginated
from keyplan.core.filters import MAX_ID
from keyplan.forecast.selectors import (
    HorizonError,
    account_forecast,
    backtest_dict,
    parse_horizon,
    scope_forecast,
)
from keyplan.forecast.series import history_sentences
from keyplan.territory.analysis.params import ParameterError, Scope

MONEY = {"max_digits": 20, "decimal_places": 2}


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    expected = serializers.DecimalField(**MONEY)
    low = serializers.DecimalField(**MONEY)
    high = serializers.DecimalField(**MONEY)
    pipeline = serializers.DecimalField(**MONEY, help_text="Open deals × learned win rate")


class AccountForecastSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField()
    expected = serializers.DecimalField(**MONEY, help_text="From the sales history, all months")
    low = serializers.DecimalField(**MONEY)
    high = serializers.DecimalField(**MONEY)
    pipeline = serializers.DecimalField(**MONEY)
    months = MonthSerializer(many=True)


class LineSerializer(serializers.Serializer):
    line = serializers.CharField()
    kind = serializers.CharField(help_text="How the account buys the line, in words")
    method = serializers.CharField()
    expected = serializers.DecimalField(**MONEY)
    low = serializers.DecimalField(**MONEY)
    high = serializers.DecimalField(**MONEY)


class DealSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    stage = serializers.CharField()
    amount = serializers.SerializerMethodField()
    close_date = serializers.DateField(allow_null=True)
    win_rate = serializers.FloatField(source="rate")
    win_rate_basis = serializers.CharField(source="basis")
    weighted = serializers.SerializerMethodField()
    counted = serializers.SerializerMethodField()
    why_not_counted = serializers.CharField(source="why_not")

    def get_amount(self, deal) -> str | None:
        return None if deal.amount is None else f"{deal.amount / 100:.2f}"

    def get_weighted(self, deal) -> str:
        return f"{deal.weighted / 100:.2f}"

    def get_counted(self, deal) -> bool:
        return deal.month is not None


class IdeaSerializer(serializers.Serializer):
    title = serializers.CharField()
    value = serializers.DecimalField(**MONEY, help_text="Estimated annual value")
    confidence = serializers.IntegerField()
    weighted = serializers.DecimalField(**MONEY, help_text="Value × confidence over the horizon")
    expected_date = serializers.DateField(allow_null=True)


class AccountDetailSerializer(serializers.Serializer):
    horizon = serializers.IntegerField()
    forecast = AccountForecastSerializer(allow_null=True)
    lines = LineSerializer(many=True)
    deals = DealSerializer(many=True)
    ideas = IdeaSerializer(many=True)
    ideas_weighted = serializers.DecimalField(**MONEY)


HORIZON = OpenApiParameter("horizon", OpenApiTypes.INT, description="Months ahead, 1-36 (12)")
SCOPE = OpenApiParameter(
    "scope", OpenApiTypes.STR, description="territory, team:NAME, rep:USERNAME or industry:NAME"
)


class ForecastView(APIView):
    """Each account's forecast over the horizon (largest first), only accounts the user may
    see; ``summary`` holds the months, the method per kind of buying, the pipeline's win
    rate and the back-test."""

    @extend_schema(
        parameters=[HORIZON, SCOPE],
        responses=paginated(
            "PaginatedAccountForecastList",
            AccountForecastSerializer(many=True),
            summary=serializers.DictField(help_text="Months, methods, pipeline, back-test"),
        ),
    )
    def get(self, request):
        q = request.query_params
        try:
            horizon = parse_horizon(q.get("horizon"))
            scope = Scope.parse(q.get("scope"))
        except (HorizonError, ParameterError) as exc:
            return Response({"detail": str(exc)}, status=400)
        result, rows, pipeline = scope_forecast(user=request.user, scope=scope, horizon=horizon)
        paginator = KeyplanPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response(AccountForecastSerializer(page, many=True).data)
        response.data["summary"] = {
            "horizon": horizon,
            "scope": str(scope),
            "months": [f"{m:%Y-%m}" for m in result.months],
            # Months left out of the history (the month under way, not loaded yet), in words.
            "history_left_out": history_sentences(getattr(result, "left_out", [])),
            "methods": {c: m for c, m in result.methods.items() if c != "none"},
            "pipeline": pipeline,
            "backtest": backtest_dict(result),
        }
        return response


class AccountForecastView(APIView):
    """One account's forecast: months with band and weighted pipeline, each product line
    with how it is bought and the method used, its open deals and its plan ideas."""

    @extend_schema(parameters=[HORIZON], responses=AccountDetailSerializer)
    def get(self, request, id):
        if not 1 <= id <= MAX_ID:  # an id no record can have: not found, not an overflow
            raise Http404
        account = get_object_or_404(Account.objects.visible_to(request.user), pk=id)
        try:
            horizon = parse_horizon(request.query_params.get("horizon"))
        except HorizonError as exc:
            return Response({"detail": str(exc)}, status=400)
        detail = account_forecast(account=account, horizon=horizon)
        return Response(AccountDetailSerializer(detail).data)
