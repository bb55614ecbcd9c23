"""``/api/v1/rollups/``: the roll-up the team board and the company view show, by rep,
team, tier, product line or channel, over what the caller sees; and
``/api/v1/rollups/drill/``: the list behind one figure. A bad ``by``, period or figure is
a 400 naming the value and what is expected."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.salesplan.periods import parse_period, planning_year
from keyplan.salesplan.rollups import BY, MEASURES, RollupError, rollup, rollup_drill

MONEY = {"max_digits": 20, "decimal_places": 2, "allow_null": True}


class RowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The rep's or team's id, the tier, line id or channel")
    label = serializers.CharField()
    quota = serializers.DecimalField(
        **MONEY, help_text="Reps and teams: their quota; else the revenue objectives"
    )
    reps_quota = serializers.DecimalField(**MONEY, help_text="Teams: their reps' quotas summed")
    goals = serializers.DecimalField(**MONEY, help_text="Account goals of the period")
    objectives = serializers.DecimalField(**MONEY, help_text="Territory plans' revenue objectives")
    won = serializers.DecimalField(
        **MONEY, help_text="Sales so far in the period; null: being computed"
    )
    forecast = serializers.DecimalField(**MONEY, help_text="null: not computed yet")
    pipeline = serializers.DecimalField(
        **MONEY, help_text="Open deals closing in the period; null: being computed"
    )
    coverage = serializers.DecimalField(
        max_digits=12,
        decimal_places=1,
        allow_null=True,
        help_text="pipeline / (quota − won); null when nothing is left to win",
    )
    plans = serializers.IntegerField(allow_null=True)
    health = serializers.IntegerField(allow_null=True, help_text="Plans' average health 0-100")
    oldest_confirmation = serializers.DateTimeField(source="confirmed", allow_null=True)
    never_confirmed = serializers.IntegerField(help_text="Plans never confirmed current")
    overdue_actions = serializers.IntegerField(source="overdue", allow_null=True)
    investments_waiting = serializers.IntegerField(source="investments", allow_null=True)
    at_risk = serializers.SerializerMethodField()

    def get_at_risk(self, row) -> list[str]:
        return row.flags() if row.key != "total" else []


class RollupSerializer(serializers.Serializer):
    by = serializers.CharField()
    period = serializers.CharField(source="period.name")
    company_quota = serializers.DecimalField(**MONEY)
    kept = serializers.SerializerMethodField(help_text="Figures this dimension keeps")
    forecast_note = serializers.CharField()
    pending_note = serializers.CharField(
        help_text="Not empty while won, forecast and pipeline are being computed after a "
        "change to sales or deals (they are null until then)"
    )
    rows = RowSerializer(many=True)
    total = RowSerializer()

    def get_kept(self, view) -> list[str]:
        return [m for m in MEASURES if m in view.kept]


class DrillLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()
    of = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    note = serializers.CharField()


class DrillSerializer(serializers.Serializer):
    by = serializers.CharField()
    key = serializers.CharField()
    row = serializers.CharField(source="row_label")
    measure = serializers.CharField()
    counted = serializers.BooleanField(help_text="The figure is the number of lines")
    total = serializers.DecimalField(**MONEY)
    lines = DrillLineSerializer(many=True)


BY_PARAM = OpenApiParameter("by", OpenApiTypes.STR, enum=list(BY), description="Default rep")
PERIOD_PARAM = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="FY2027, “FY 2027”, 2027, “Q3 FY 2027” or 2027-Q3; default this fiscal year",
)


def _period(request):
    raw = request.query_params.get("period")
    if not raw:
        return planning_year()
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise RollupError(f"period: {exc}") from exc


class RollupView(APIView):
    """The roll-up of a period by rep, team, tier, product line or channel: quota (and
    for teams their reps' sum), account goals, revenue objectives, won, forecast,
    pipeline and coverage, plans' count, health and oldest confirmation, overdue actions
    and investments waiting — only what the caller sees."""

    @extend_schema(parameters=[BY_PARAM, PERIOD_PARAM], responses=RollupSerializer)
    def get(self, request):
        try:
            period = _period(request)
            view = rollup(user=request.user, period=period, by=request.query_params.get("by"))
        except RollupError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(RollupSerializer(view).data)


class RollupDrillView(APIView):
    """The list behind one figure of the roll-up (its total is the figure)."""

    @extend_schema(
        parameters=[
            BY_PARAM,
            PERIOD_PARAM,
            OpenApiParameter("key", OpenApiTypes.STR, description="The row's key"),
            OpenApiParameter("measure", OpenApiTypes.STR, enum=list(MEASURES)),
        ],
        responses=DrillSerializer,
    )
    def get(self, request):
        q = request.query_params
        try:
            found = rollup_drill(
                user=request.user,
                period=_period(request),
                by=q.get("by"),
                key=q.get("key") or "none",
                measure=q.get("measure"),
            )
        except RollupError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(DrillSerializer(found).data)


urlpatterns = [
    path("", RollupView.as_view(), name="api-rollups"),
    path("drill/", RollupDrillView.as_view(), name="api-rollups-drill"),
]
