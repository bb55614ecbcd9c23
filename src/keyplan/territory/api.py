"""API for territory analyses: the same parameters and figures as the page and the
``keyplan analyze`` command, with the ranking paginated."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.api.pagination import KeyplanPagination, paginated
from keyplan.api.params import finite_number, record_id, whole_number
from keyplan.territory.analysis.cache import cached
from keyplan.territory.analysis.params import ParameterError, Scope, Window
from keyplan.territory.analysis.pareto import pareto

# The longest look-back the audience analysis takes (the page's limit too): ten years.
MAX_DAYS = 3650


class ParetoRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField()
    revenue = serializers.DecimalField(max_digits=20, decimal_places=2)
    share = serializers.FloatField()
    cumulative_share = serializers.FloatField()
    in_core = serializers.BooleanField()


PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="First day or month (YYYY-MM)"),
    OpenApiParameter("to", OpenApiTypes.STR, description="Last day or month"),
    OpenApiParameter(
        "scope", OpenApiTypes.STR, description="territory, team:NAME, rep:USERNAME or industry:NAME"
    ),
    OpenApiParameter("level", OpenApiTypes.STR, enum=["account", "entity"]),
    OpenApiParameter("threshold", OpenApiTypes.FLOAT, description="Core share, default 0.8"),
    OpenApiParameter(
        "basis",
        OpenApiTypes.STR,
        enum=["all", "with_revenue"],
        description="Accounts counted: all in scope (default) or only those with revenue "
        "in the window",
    ),
]


class ParetoView(APIView):
    """Accounts ranked by revenue in the window, with shares, cumulative shares and the
    core set; only accounts the user may see."""

    @extend_schema(
        parameters=PARAMETERS,
        responses=paginated(
            "PaginatedParetoRowList",
            ParetoRowSerializer(many=True),
            summary=serializers.DictField(
                help_text="The core set, totals, window and scope of the analysis"
            ),
        ),
    )
    def get(self, request):
        q = request.query_params
        try:
            threshold = finite_number(q.get("threshold"), name="threshold", default=0.8)
            params = {
                "window": Window.parse(q.get("from"), q.get("to")),
                "scope": Scope.parse(q.get("scope")),
                "level": q.get("level", "account"),
                "threshold": threshold,
                "basis": q.get("basis", "all"),
            }
            key = {k: str(v) for k, v in params.items()}
            result = cached(
                "pareto", request.user, key, lambda: pareto(user=request.user, **params)
            )
        except (ParameterError, ValueError) as exc:
            return Response({"detail": str(exc)}, status=400)
        paginator = KeyplanPagination()
        page = paginator.paginate_queryset(result.rows, request, view=self)
        response = paginator.get_paginated_response(ParetoRowSerializer(page, many=True).data)
        response.data["summary"] = result.summary()
        return response


class TierScoreSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField()
    score = serializers.IntegerField()
    tier = serializers.CharField()
    met = serializers.ListField(child=serializers.CharField())
    missed = serializers.ListField(child=serializers.CharField())


class TiersView(APIView):
    """ICP score and tier of every account the user may see, computed now with the
    profile in force, with the criteria each met and missed (accepted tiers are on
    each account)."""

    @extend_schema(
        parameters=PARAMETERS[:3],
        responses=paginated(
            "PaginatedTierScoreList",
            TierScoreSerializer(many=True),
            version=serializers.IntegerField(
                allow_null=True, help_text="The ICP profile version (null: none saved yet)"
            ),
        ),
    )
    def get(self, request):
        from keyplan.territory.analysis.tiers import current_version, score_accounts

        q = request.query_params
        version = current_version()
        try:
            window = Window.parse(q.get("from"), q.get("to"))
            scope = Scope.parse(q.get("scope"))
        except ParameterError as exc:
            return Response({"detail": str(exc)}, status=400)
        key = {"window": str(window), "scope": str(scope), "v": version.pk if version else 0}
        scores = cached(
            "tiers",
            request.user,
            key,
            lambda: score_accounts(user=request.user, version=version, window=window, scope=scope),
        )
        paginator = KeyplanPagination()
        page = paginator.paginate_queryset(scores, request, view=self)
        response = paginator.get_paginated_response(TierScoreSerializer(page, many=True).data)
        response.data["version"] = version.number if version else None
        return response


class WhiteSpaceCellSerializer(serializers.Serializer):
    item_id = serializers.IntegerField()
    state = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        allow_null=True,
        help_text="owned: revenue in the window; pipeline: open amount (null: not known); "
        "white space: expected value (probability × expected first-year spend)",
    )
    stage = serializers.CharField()
    probability = serializers.FloatField(
        allow_null=True,
        required=False,
        help_text="white space: probability of buying within the horizon (null otherwise)",
    )
    why = serializers.CharField(required=False, help_text="white space: the probability in words")


class BestCellSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    item_id = serializers.IntegerField()
    probability = serializers.FloatField()
    value = serializers.DecimalField(max_digits=20, decimal_places=2)
    why = serializers.CharField()


class WhiteSpaceRowSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField()
    industry = serializers.CharField()
    band = serializers.CharField()
    white_space = serializers.DecimalField(max_digits=20, decimal_places=2)
    cells = WhiteSpaceCellSerializer(many=True)


class WhiteSpaceItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    product_line = serializers.CharField(allow_null=True)


class WhiteSpaceView(APIView):
    """The white-space matrix, one account per result (most white space first), with
    ``items`` naming the products or product lines the cells refer to."""

    @extend_schema(
        parameters=[
            *PARAMETERS[:3],
            OpenApiParameter("by", OpenApiTypes.STR, enum=["product", "line"]),
            OpenApiParameter(
                "horizon", OpenApiTypes.INT, description="months ahead (1-24, default 12)"
            ),
            OpenApiParameter("rank", OpenApiTypes.STR, enum=["value", "probability"]),
        ],
        responses=paginated(
            "PaginatedWhiteSpaceRowList",
            WhiteSpaceRowSerializer(many=True),
            items=WhiteSpaceItemSerializer(many=True),
            counts=serializers.DictField(child=serializers.IntegerField()),
            total_white_space=serializers.DecimalField(max_digits=20, decimal_places=2),
            best_cells=BestCellSerializer(many=True),
            model_note=serializers.CharField(
                help_text="Empty when the probabilities were learned from today's sales; "
                "otherwise when they were learned (a relearn is under way in the "
                "background), or that no model is learned yet (probabilities null)."
            ),
        ),
    )
    def get(self, request):
        from keyplan.territory.analysis.propensity import parse_horizon
        from keyplan.territory.analysis.propensity_report import predicted_cells
        from keyplan.territory.analysis.whitespace import whitespace
        from keyplan.territory.predictions import latest_predictions, ranking_key

        q = request.query_params
        try:
            params = {
                "window": Window.parse(q.get("from"), q.get("to")),
                "scope": Scope.parse(q.get("scope")),
                "by": q.get("by", "product"),
            }
            horizon = parse_horizon(q.get("horizon"))
            params["horizon"] = horizon  # rows ranked by the model's expected value
            rank = q.get("rank", "value")
            if rank not in ("value", "probability"):
                raise ParameterError(f"Rank “{rank}” is not value or probability.")
            result = cached(
                "whitespace",
                request.user,
                ranking_key(params),
                lambda: whitespace(user=request.user, **params),
            )
        except ParameterError as exc:
            return Response({"detail": str(exc)}, status=400)
        # Never learned during a request: the last model learned, a relearn queued.
        learned = latest_predictions(by=result.by, horizon=horizon)
        prediction = learned.result
        paginator = KeyplanPagination()
        page = paginator.paginate_queryset(result.ranking, request, view=self)
        rows = WhiteSpaceRowSerializer([result.row(pk) for pk, _total in page], many=True).data
        for row in rows:
            scored = prediction.of_account(row["account_id"]) if prediction else {}
            for cell in row["cells"]:
                if cell["state"] != "white_space" or prediction is None:
                    if cell["state"] == "white_space":
                        cell["probability"], cell["why"] = None, ""
                    continue
                p, value, why = scored.get(cell["item_id"], (None, None, ""))
                cell["probability"] = None if p is None else round(p, 4)
                cell["value"] = None if value is None else f"{value:.2f}"
                cell["why"] = why
        response = paginator.get_paginated_response(rows)
        best = (
            predicted_cells(prediction, rank, 25, accounts=list(result.accounts))
            if prediction
            else []
        )
        response.data["model_note"] = learned.note
        response.data["horizon"] = horizon
        response.data["rank"] = rank
        response.data["best_cells"] = [
            {
                "account_id": a,
                "item_id": i,
                "probability": round(p, 4),
                "value": f"{v:.2f}",
                "why": w,
            }
            for a, i, p, v, w in best
        ]
        response.data["items"] = [
            {"id": i, "name": n, "product_line": pl} for i, n, pl in result.items
        ]
        response.data["counts"] = result.counts
        response.data["total_white_space"] = str(result.total_white_space)
        return response


class AudienceLineSerializer(serializers.Serializer):
    line = serializers.CharField()
    core = serializers.BooleanField()
    roles = serializers.IntegerField()
    known = serializers.IntegerField()
    engaged = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())


class AudienceAccountSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    lines = AudienceLineSerializer(many=True)


class AudienceView(APIView):
    """Key stakeholder roles known and engaged, per account and product line, with the
    territory's coverage (core and other lines) in ``totals``."""

    @extend_schema(
        parameters=[PARAMETERS[2], OpenApiParameter("days", OpenApiTypes.INT)],
        responses=paginated(
            "PaginatedAudienceList",
            AudienceAccountSerializer(many=True),
            totals=serializers.DictField(
                child=serializers.DictField(child=serializers.FloatField()),
                help_text="Per product line (and core / other lines): coverage and engagement",
            ),
        ),
    )
    def get(self, request):
        from keyplan.territory.analysis.audience import audience

        days = whole_number(
            request.query_params.get("days"),
            name="days",
            default=180,
            low=1,
            high=MAX_DAYS,
            message=f"A number of days from 1 to {MAX_DAYS}.",
        )
        try:
            scope = Scope.parse(request.query_params.get("scope"))
        except ParameterError as exc:
            return Response({"detail": str(exc)}, status=400)
        result = audience(user=request.user, scope=scope, days=days)
        paginator = KeyplanPagination()
        page = paginator.paginate_queryset(result.accounts, request, view=self)
        response = paginator.get_paginated_response(AudienceAccountSerializer(page, many=True).data)
        response.data["totals"] = result.totals
        return response


class WalletSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField()
    external_id = serializers.CharField()
    revenue = serializers.DecimalField(max_digits=20, decimal_places=2)
    potential = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    untapped = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    share = serializers.FloatField(allow_null=True)
    method = serializers.CharField()


class WalletView(APIView):
    """Potential and share of wallet of each account the user may see, with the method
    behind each potential; ``aspirational=true`` keeps only the aspirational accounts
    (untapped potential ≥ ``factor`` × the average account's revenue, default 10)."""

    @extend_schema(
        parameters=[
            *PARAMETERS[:3],
            OpenApiParameter("aspirational", OpenApiTypes.BOOL),
            OpenApiParameter("factor", OpenApiTypes.FLOAT),
        ],
        responses=paginated("PaginatedWalletList", WalletSerializer(many=True)),
    )
    def get(self, request):
        from keyplan.territory.analysis.strategic import aspirational
        from keyplan.territory.analysis.wallet import wallets

        q = request.query_params
        try:
            window = Window.parse(q.get("from"), q.get("to"))
            scope = Scope.parse(q.get("scope"))
            factor = finite_number(q.get("factor"), name="factor", default=10.0)
        except (ParameterError, ValueError) as exc:
            return Response({"detail": str(exc)}, status=400)
        if q.get("aspirational") in ("true", "1"):
            items = [
                a.wallet
                for a in aspirational(user=request.user, window=window, scope=scope, factor=factor)
            ]
        else:
            key = {"window": str(window), "scope": str(scope)}
            items = cached(
                "wallets-api",
                request.user,
                key,
                lambda: wallets(user=request.user, window=window, scope=scope),
            )
        paginator = KeyplanPagination()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(WalletSerializer(page, many=True).data)


class MoverSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    name = serializers.CharField(source="account.name")
    share_before = serializers.FloatField(source="before")
    share_after = serializers.FloatField(source="share")
    change = serializers.FloatField()


class RunTotalsSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.pk")
    created_at = serializers.DateTimeField(source="run.created_at")
    window = serializers.CharField(source="run.parameters.window", default="")
    accounts = serializers.IntegerField()
    revenue = serializers.DecimalField(max_digits=20, decimal_places=2)
    potential = serializers.DecimalField(max_digits=20, decimal_places=2)
    share = serializers.FloatField(allow_null=True)


class WalletComparisonSerializer(serializers.Serializer):
    before = RunTotalsSerializer()
    after = RunTotalsSerializer()
    compared = serializers.IntegerField()
    gained = MoverSerializer(many=True)
    lost = MoverSerializer(many=True)


class WalletHistoryView(APIView):
    """Two recorded wallet runs side by side (default: the latest two): totals over the
    accounts the user may see, and the accounts whose share of wallet moved most."""

    @extend_schema(
        parameters=[
            OpenApiParameter("before", OpenApiTypes.INT, description="Earlier wallet run id"),
            OpenApiParameter("after", OpenApiTypes.INT, description="Later wallet run id"),
        ],
        responses=WalletComparisonSerializer,
    )
    def get(self, request):
        from keyplan.territory.analysis.history import compare_wallets_cached, wallet_runs

        q = request.query_params
        latest = list(wallet_runs().values_list("pk", flat=True)[:2])
        after = record_id(
            q.get("after"), name="after", what="wallet run id", default=latest[0] if latest else 0
        )
        before = record_id(
            q.get("before"),
            name="before",
            what="wallet run id",
            default=latest[1] if len(latest) > 1 else 0,
        )
        try:
            result = compare_wallets_cached(user=request.user, before_id=before, after_id=after)
        except ParameterError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(WalletComparisonSerializer(result).data)
