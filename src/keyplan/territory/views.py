from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keyplan.core.words import plural
from keyplan.people.permissions import can_manage_settings, settings_managers_only
from keyplan.people.scope import scope_for
from keyplan.territory import services
from keyplan.territory.analysis.cache import cached, todays_facts
from keyplan.territory.analysis.icp_values import column_words
from keyplan.territory.analysis.params import ParameterError
from keyplan.territory.analysis.pareto import pareto
from keyplan.territory.analysis.tiers import criterion_label, current_version
from keyplan.territory.choices import ProposalStatus
from keyplan.territory.forms import AnalysisForm, CriterionForm, TierSettingsForm
from keyplan.territory.models import AccountTier, IcpVersion, TierProposal, TierRun

CHART_ACCOUNTS = 50
TABLE_ROWS = 100


def pareto_page(user, params: dict):
    """The Pareto result as the page shows it (figures and the first rows), cached on its
    own: unpickling 100,000 ranked rows on every visit would cost more than the page."""
    import dataclasses

    key = {k: str(v) for k, v in params.items()}

    def compute():
        full = cached("pareto", user, key, lambda: pareto(user=user, **params))
        return dataclasses.replace(full, rows=full.rows[:TABLE_ROWS])

    return cached("pareto-page", user, key, compute)


@require_http_methods(["GET"])
def territory(request):
    """Which accounts matter: the Pareto chart, the concentration figures and the ranking
    (first 100; all of them through the API and `keyplan analyze pareto --json`)."""
    form = AnalysisForm(request.GET or None, user=request.user)
    result = None
    if not request.GET or form.is_valid():
        if not request.GET:
            form = AnalysisForm(
                {"threshold": 80, "level": "account", "scope": "territory", "basis": "all"},
                user=request.user,
            )
            form.is_valid()
        try:
            params = form.params()
        except Exception as exc:  # ValidationError from the window
            form.add_error(None, exc)
            params = None
        if params:
            result = pareto_page(request.user, params)
    other_basis = None
    if result:
        query = QueryDict(mutable=True)
        for name in form.fields:
            if form.data.get(name) not in (None, ""):
                query[name] = form.data.get(name)
        query["basis"] = "all" if result.basis == "with_revenue" else "with_revenue"
        other_basis = {
            "url": "?" + query.urlencode(),
            "label": "Count all accounts in scope"
            if result.basis == "with_revenue"
            else "Count only accounts with revenue in the window",
        }
    chart = None
    if result and result.rows:
        top = result.rows[:CHART_ACCOUNTS]
        chart = {
            "names": [r.name for r in top],
            "revenue": [float(r.revenue) for r in top],
            "cumulative": [round(r.cumulative_share * 100, 2) for r in top],
            "core": [r.in_core for r in top],
            "threshold": round(result.threshold * 100, 1),
        }
    from keyplan.accounts.models import Account
    from keyplan.territory.models import StrategicAccount

    visible = Account.objects.visible_to(request.user)
    tiers = dict(
        AccountTier.objects.visible_to(request.user)
        .values_list("tier")
        .annotate(n=Count("pk"))
        .values_list("tier", "n")
    )
    strategic_counts = dict(
        StrategicAccount.objects.visible_to(request.user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "territory/territory.html",
        {
            "form": form,
            "result": result,
            "rows": result.rows[:TABLE_ROWS] if result else [],
            "chart": chart,
            "other_basis": other_basis,
            "tiers": [(t, tiers.get(t, 0)) for t in "ABC"],
            "untiered": visible.filter(tier__isnull=True).count(),
            "strategic_counts": strategic_counts,
            "nav": "territory",
        },
    )


@require_http_methods(["GET", "POST"])
@settings_managers_only
def icp_settings(request):
    """The ideal customer profile: weighted criteria and how scores become tiers. Every
    change is a new version; the history stays."""
    version = current_version()
    criteria = list(version.criteria) if version else []
    posted = None
    if request.POST.get("action") == "add":
        posted = request.POST.copy()
        if posted.get("values_fix"):  # "Use “Healthcare”": the values with typos corrected
            posted["values"] = posted["values_fix"]
    add_form = CriterionForm(posted, user=request.user)
    initial = {
        "method": version.method if version else "thresholds",
        "a_threshold": version.a_threshold if version else 70,
        "b_threshold": version.b_threshold if version else 40,
        "a_share": version.a_share if version else 20,
        "b_share": version.b_share if version else 30,
    }
    tier_form = TierSettingsForm(
        request.POST if request.POST.get("action") == "tiers" else None, initial=initial
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add" and add_form.is_valid():
                criterion = add_form.cleaned_data["criterion"]
                services.icp_save(
                    user=request.user,
                    criteria=[*criteria, criterion],
                    note=f"Added: {criterion_label(criterion)}",
                )
                messages.success(request, "Criterion added; recompute tiers to see its effect.")
                if add_form.unmatched:
                    words = column_words(criterion["kind"], len(add_form.unmatched))
                    typed = ", ".join(f"“{v}”" for v in add_form.unmatched)
                    messages.warning(
                        request,
                        f"No account has the {words} {typed} yet: the criterion matches "
                        "no account on those values today.",
                    )
                return redirect("icp_settings")
            if action == "remove":
                index = int(request.POST.get("index", -1))
                if not 0 <= index < len(criteria):
                    raise ParameterError("That criterion is no longer there.")
                removed = criteria.pop(index)
                services.icp_save(
                    user=request.user,
                    criteria=criteria,
                    note=f"Removed: {criterion_label(removed)}",
                )
                messages.success(request, "Criterion removed.")
                return redirect("icp_settings")
            if action == "tiers" and tier_form.is_valid():
                services.icp_save(
                    user=request.user,
                    criteria=criteria,
                    note="Tier settings changed",
                    **tier_form.cleaned_data,
                )
                messages.success(request, "Tier settings saved.")
                return redirect("icp_settings")
        except (ParameterError, ValueError) as exc:
            messages.error(request, str(exc))
    total = sum(c["weight"] for c in criteria) or 1
    rows = [
        {
            "label": criterion_label(c),
            "weight": c["weight"],
            "share": round(100 * c["weight"] / total),
        }
        for c in criteria
    ]
    return render(
        request,
        "territory/icp.html",
        {
            "version": version,
            "rows": rows,
            "add_form": add_form,
            "tier_form": tier_form,
            "history": IcpVersion.objects.select_related("created_by")[:20],
            "nav": "territory",
        },
    )


@require_http_methods(["GET", "POST"])
def tiers(request):
    """Tier distribution, the latest run and its proposals. Everyone sees the tiers of the
    accounts they may see; only sales ops and admins recompute and decide."""
    from keyplan.accounts.models import Account

    manager = can_manage_settings(request.user)
    if request.method == "POST":
        if not manager:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "recompute":
                run = services.tiers_recompute(user=request.user)
                proposed = plural(run.proposals.count(), "change")
                messages.success(request, f"Tiers recomputed: {proposed} proposed.")
            elif action in ("accept", "reject", "accept_all"):
                ids = request.POST.getlist("proposal")
                pending = TierProposal.objects.filter(status=ProposalStatus.PENDING)
                # "Accept all" is its own button (no script sets a flag: the CSP allows
                # no inline handler); all=1 is still understood.
                if action != "accept_all" and request.POST.get("all") != "1":
                    pending = pending.filter(pk__in=ids)
                accept = action != "reject"
                n = services.proposals_decide(user=request.user, proposals=pending, accept=accept)
                messages.success(
                    request, f"{n:,} proposals {'accepted' if accept else 'rejected'}."
                )
        except ParameterError as exc:
            messages.error(request, str(exc))
        return redirect("tiers")
    visible = Account.objects.visible_to(request.user)
    distribution = dict(
        AccountTier.objects.visible_to(request.user)
        .values_list("tier")
        .annotate(n=Count("pk"))
        .values_list("tier", "n")
    )
    untiered = visible.filter(tier__isnull=True).count()
    proposals = (
        TierProposal.objects.filter(status=ProposalStatus.PENDING, account__in=visible)
        .select_related("account")
        .order_by("-score", "pk")
    )
    page = Paginator(proposals, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "territory/tiers.html",
        {
            "distribution": [(t, distribution.get(t, 0)) for t in "ABC"],
            "untiered": untiered,
            "run": TierRun.objects.select_related("version", "created_by").first(),
            "page": page,
            "manager": manager,
            "version": current_version(),
            "nav": "territory",
        },
    )


WHITESPACE_ROWS = 50


def _whitespace_params(request):
    from keyplan.territory.forms import WhiteSpaceForm

    data = request.GET.copy()
    data.setdefault("scope", "territory")
    # The defaults are selected in the form too: a "Buying within" left blank would show
    # its first choice (3 months) above 12-month figures, and the next Show would send it.
    data.setdefault("horizon", "12")
    data.setdefault("rank", "value")
    form = WhiteSpaceForm(data, user=request.user)
    if not form.is_valid():
        return form, None
    try:
        return form, form.whitespace_params()
    except Exception as exc:  # a window that cannot be read
        form.add_error(None, exc)
        return form, None


def whitespace_page_data(user, params: dict, page_number):
    """Summary, ranking and the rows of one page of the white-space matrix, each page
    cached on its own so a visit does not unpickle the whole territory's matrix."""
    import dataclasses

    from keyplan.territory.analysis.whitespace import whitespace
    from keyplan.territory.predictions import ranking_key

    key = ranking_key(params)

    def full():
        return cached("whitespace", user, key, lambda: whitespace(user=user, **params))

    def summary():
        result = full()
        light = dataclasses.replace(
            result,
            owned={},
            pipeline={},
            accounts={},
            ranking=[],
            expected=None if result.expected is None else {},  # basis only
        )
        return light, result.ranking.ids()

    light, ranking = cached("whitespace-summary", user, key, summary)
    number = Paginator(ranking, WHITESPACE_ROWS).get_page(page_number).number
    start = (number - 1) * WHITESPACE_ROWS

    def rows():
        return full().rows(start, start + WHITESPACE_ROWS)

    page_rows = cached("whitespace-page", user, {**key, "page": number}, rows)
    return light, ranking, page_rows, number


def _whitespace_result(request):
    from keyplan.territory.analysis.whitespace import whitespace
    from keyplan.territory.forms import WhiteSpaceForm

    data = request.GET.copy()
    data.setdefault("scope", "territory")
    # The defaults are selected in the form too: a "Buying within" left blank would show
    # its first choice (3 months) above 12-month figures, and the next Show would send it.
    data.setdefault("horizon", "12")
    data.setdefault("rank", "value")
    form = WhiteSpaceForm(data, user=request.user)
    if not form.is_valid():
        return form, None
    try:
        params = form.whitespace_params()
    except Exception as exc:  # a window that cannot be read
        form.add_error(None, exc)
        return form, None
    from keyplan.territory.predictions import latest_predictions, ranking_key

    if params.get("horizon") is not None:  # a relearn queued before the ranking is read
        latest_predictions(by=params["by"], horizon=params["horizon"])
    return form, cached(
        "whitespace",
        request.user,
        ranking_key(params),
        lambda: whitespace(user=request.user, **params),
    )


@require_http_methods(["GET"])
def whitespace_page(request):
    """The account × product (or product line) matrix, accounts with the most white space
    first, as a heatmap and a table; 50 accounts a page."""
    from keyplan.accounts.models import Account
    from keyplan.territory.analysis.propensity_report import predicted_cells
    from keyplan.territory.predictions import latest_backtest, latest_predictions

    form, params = _whitespace_params(request)
    page = heat = rows = result = best = check = horizon = rank = totals = None
    model_note = ""
    if params is not None:
        horizon, rank = form.prediction_choice()
        # Never learned while the person waits: today's model if learned, else the last
        # one with a note in words, and a relearn queued in the background (asked first,
        # so that the ranking below is by the same model as the figures).
        learned = latest_predictions(by=params["by"], horizon=horizon)
        result, ranking, rows, number = whitespace_page_data(
            request.user, params, request.GET.get("page")
        )
        page = Paginator(ranking, WHITESPACE_ROWS).get_page(number)
        prediction, model_note = learned.result, learned.note
        check = latest_backtest(by=result.by).result
        names = {item_id: name for item_id, name, _line in result.items}
        top = predicted_cells(prediction, rank, 25, accounts=ranking) if prediction else []
        account_names = dict(
            Account.objects.filter(pk__in=[a for a, *_rest in top]).values_list("pk", "name")
        )
        best = [
            {
                "account_id": a,
                "account": account_names.get(a, ""),
                "item": names.get(i, ""),
                "probability": p,
                "value": v,
                "why": why,
            }
            for a, i, p, v, why in top
        ]
        totals = prediction.totals(ranking) if prediction else None
        expected = {}
        for row in rows:
            expected[row.account_id] = prediction.of_account(row.account_id) if prediction else None
        heat = {
            "items": [name for _id, name, _line in result.items],
            "accounts": [row.name for row in rows],
            "horizon": horizon,
            "white": [],
            "owned": [],
            "pipeline": [],
        }
        for y, row in enumerate(rows):
            scored = expected[row.account_id]
            for x, cell in enumerate(row.cells):
                # A cell carries what its tooltip, and a tap on a phone, say about it: a
                # white-space cell its probability and why once the model has learned, a
                # pipeline cell its stage.
                point = {"value": [x, y, float(cell.value or 0)]}
                if cell.state == "white_space" and scored is not None:  # expected value
                    cell.probability, cell.value, cell.why = scored.get(cell.item_id, (0, 0, ""))
                    point = {
                        "value": [x, y, float(cell.value or 0)],
                        "probability": cell.probability,
                        "why": cell.why,
                    }
                elif cell.state == "pipeline" and cell.stage:
                    point["stage"] = cell.stage
                heat[
                    {"white_space": "white", "owned": "owned", "pipeline": "pipeline"}[cell.state]
                ].append(point)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "territory/whitespace.html",
        {
            "form": form,
            "result": result,
            "page": page,
            "heat": heat,
            "rows": rows,
            "best": best,
            "check": check,
            "totals": totals,
            "model_note": model_note,
            "horizon": horizon,
            "rank": rank,
            "query": query.urlencode(),
            "nav": "territory",
        },
    )


@require_http_methods(["GET"])
@todays_facts()  # a file kept has no line to say its figures are from before a change
def whitespace_export(request):
    """The matrix as rows (account, item, state, value), CSV or Excel; names that look
    like formulas are written as text."""
    import csv
    import io

    from django.http import HttpResponse, StreamingHttpResponse

    from keyplan.core.cells import csv_row, xlsx_row

    form, result = _whitespace_result(request)
    if result is None:
        return HttpResponse(
            "; ".join(str(e) for e in form.errors.values()), status=400, content_type="text/plain"
        )
    from keyplan.territory.predictions import latest_predictions

    names = {item_id: (name, line) for item_id, name, line in result.items}
    horizon, _rank = form.prediction_choice()
    # Never learned while the person waits: the model the page shows (a relearn queued).
    prediction = latest_predictions(by=result.by, horizon=horizon).result
    learned = prediction is not None and prediction.learned
    # Accounts come in the page's order (by the model's expected value once a model is
    # learned); a white-space cell carries the model's probability and expected value,
    # and ``value_is`` says what each value is (the peer-share worth before a model).
    model_value = f"expected value of buying within {horizon} months (model)"
    peer_value = "share of similar accounts that buy × their typical spend (no model yet)"
    what = {"owned": "sales in the window", "pipeline": "open opportunity amount"}
    header = [
        "account",
        "external_id",
        "product" if result.by == "product" else "product_line",
        "product_line",
        "state",
        "value",
        "probability",
        "value_is",
        "stage",
    ]

    def rows():
        yield header
        for row in result.iter_rows():
            scored = prediction.cells_of(row.account_id) if learned else {}
            for cell in row.cells:
                name, line = names[cell.item_id]
                value, probability, is_ = cell.value, None, what.get(cell.state, peer_value)
                if cell.state == "white_space" and learned:
                    p, v = scored.get(cell.item_id, (0.0, 0.0))
                    value, probability, is_ = Decimal(f"{v:.2f}"), round(p, 4), model_value
                yield [
                    row.name,
                    row.external_id,
                    name,
                    line,
                    cell.state,
                    value,
                    probability,
                    is_,
                    cell.stage,
                ]

    if request.GET.get("format") == "xlsx":
        import openpyxl

        total = len(result.ranking) * len(result.items)
        if total > 1_000_000:
            return HttpResponse(
                f"{total:,} cells do not fit in one Excel sheet; use CSV or narrow the filters.",
                status=400,
                content_type="text/plain",
            )
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("white space")
        for r in rows():
            sheet.append(xlsx_row(sheet, [float(v) if hasattr(v, "quantize") else v for v in r]))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
        response["Content-Disposition"] = 'attachment; filename="whitespace.xlsx"'
        return response

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow(csv_row(r)) for r in rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="whitespace.csv"'
    return response


def territory_wallets(window=None) -> dict:
    """Potential and share of wallet of every account (cached per roll-up version)."""
    from django.db.models import Max

    from keyplan.territory.analysis.params import Window
    from keyplan.territory.analysis.wallet import wallets
    from keyplan.territory.models import PotentialEstimate

    window = window or Window.default()
    latest = PotentialEstimate.objects.aggregate(m=Max("pk"))["m"]  # new estimate: recompute
    return cached(
        "wallets",
        None,
        {"window": str(window), "estimates": latest},
        lambda: {w.account_id: w for w in wallets(user=None, window=window)},
    )


def territory_aspirational(factor: float, window=None) -> tuple:
    """The territory's average annual revenue and, largest untapped potential first, the
    accounts whose untapped potential is at least ``factor`` × that average — cached
    apart from the 100,000 wallets they are drawn from, so the page does not unpickle
    all of them on every visit."""
    from django.db.models import Max

    from keyplan.territory.analysis.params import Window
    from keyplan.territory.analysis.strategic import average_revenue
    from keyplan.territory.models import PotentialEstimate

    window = window or Window.default()
    latest = PotentialEstimate.objects.aggregate(m=Max("pk"))["m"]

    def compute():
        wallets = territory_wallets(window)
        average = average_revenue(list(wallets.values()))
        bar = average * Decimal(str(factor))
        found = [
            w
            for w in wallets.values()
            if w.untapped is not None and average > 0 and w.untapped >= bar
        ]
        return average, sorted(found, key=lambda w: (-w.untapped, w.name))

    return cached(
        "aspirational",
        None,
        {"window": str(window), "estimates": latest, "factor": factor},
        compute,
    )


WALLET_BUCKET = 1000  # accounts per cache entry of the per-account wallet lookup


def account_wallets(ids, window=None) -> dict:
    """Potential and share of wallet of a few accounts (an account page, a plan) without
    reading the whole territory's result: wallets are also cached in buckets of 1,000
    account ids, so a page reads one small entry instead of unpickling 100,000 wallets."""
    from collections import defaultdict

    from django.core.cache import cache
    from django.db.models import Max

    from keyplan.territory.analysis.cache import TTL, cache_key
    from keyplan.territory.analysis.params import Window
    from keyplan.territory.models import PotentialEstimate

    window = window or Window.default()
    params = {
        "window": str(window),
        "estimates": PotentialEstimate.objects.aggregate(m=Max("pk"))["m"],
    }
    buckets = {pk // WALLET_BUCKET for pk in ids}
    keys = {b: cache_key("wallets-bucket", None, params | {"bucket": b}) for b in buckets}
    found = cache.get_many(list(keys.values()))
    parts = {b: found[k] for b, k in keys.items() if k in found}
    if len(parts) < len(buckets):
        grouped = defaultdict(dict)
        for pk, wallet in territory_wallets(window).items():
            grouped[pk // WALLET_BUCKET][pk] = wallet
        cache.set_many(
            {
                cache_key("wallets-bucket", None, params | {"bucket": b}): part
                for b, part in grouped.items()
            },
            TTL,
        )
        parts = {b: grouped.get(b, {}) for b in buckets}
    return {pk: parts[pk // WALLET_BUCKET][pk] for pk in ids if pk in parts[pk // WALLET_BUCKET]}


@require_http_methods(["GET", "POST"])
def strategic(request):
    """Strategic accounts suggested per rep, with the manager's decision; aspirational
    accounts with the numbers that put them there."""
    from django.core.exceptions import PermissionDenied

    from keyplan.accounts.models import Account
    from keyplan.territory.analysis.params import Window
    from keyplan.territory.analysis.strategic import Aspirational
    from keyplan.territory.models import StrategicAccount

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "suggest":
            if request.user.role == "rep":
                raise PermissionDenied
            n = services.strategic_suggest(per_rep=int(request.POST.get("per_rep") or 5))
            messages.success(request, f"{n} new strategic account suggestions.")
        elif action in ("confirm", "decline"):
            item = (
                StrategicAccount.objects.select_related("account")
                .filter(
                    pk=request.POST.get("id"), account__in=Account.objects.visible_to(request.user)
                )
                .first()
            )
            if item is None:
                from django.http import Http404

                raise Http404
            services.strategic_decide(
                user=request.user, strategic=item, confirm=action == "confirm"
            )
            messages.success(request, f"{item.account} {item.get_status_display().lower()}.")
        return redirect("strategic")
    visible = Account.objects.visible_to(request.user)
    items = list(
        StrategicAccount.objects.visible_to(request.user)
        .select_related("account__owner", "decided_by", "account__tier")
        .order_by("account__owner__username", "status", "account__name")
    )
    wallets = account_wallets([item.account_id for item in items])
    for item in items:
        item.wallet = wallets.get(item.account_id)
        item.can_decide = request.user.role != "rep"
    factor = 10
    average, candidates = territory_aspirational(factor)
    if not scope_for(request.user).everything:  # which candidates they may see, not all ids
        ids = [w.account_id for w in candidates]
        seen = set(visible.filter(pk__in=ids).values_list("pk", flat=True))
        candidates = [w for w in candidates if w.account_id in seen]
    aspiring = [Aspirational(w, average, factor) for w in candidates]
    return render(
        request,
        "territory/strategic.html",
        {
            "items": items,
            "aspiring": aspiring[:50],
            "aspiring_count": len(aspiring),
            "average": average,
            "factor": factor,
            "window": Window.default(),
            "can_suggest": request.user.role != "rep",
            "nav": "territory",
        },
    )


POTENTIAL_TYPED = "potential-estimate-typed"


@require_http_methods(["POST"])
def potential_estimate(request, pk: int):
    """Someone who knows the account enters what it could spend, with the source."""
    from django.shortcuts import get_object_or_404

    from keyplan.accounts.models import Account

    account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    amount, source = request.POST.get("annual_amount", ""), request.POST.get("source", "")
    try:
        services.potential_estimate_add(
            user=request.user,
            account=account,
            annual_amount=amount.replace(",", ""),
            source=source,
        )
        messages.success(request, "Potential estimate saved.")
    except ParameterError as exc:
        # Back to the form with what was typed and why it was refused, beside it: the
        # account page shows them once (accounts.views.account_detail).
        request.session[POTENTIAL_TYPED] = {
            "account": account.pk,
            "annual_amount": amount[:100],
            "source": source[:255],
            "error": str(exc),
        }
        return redirect(f"{account.get_absolute_url()}#potential")
    return redirect(account)


def whitespace_peer_values(window):
    """Items and the expected value of each per peer group, for the default window (cached
    per version of the facts)."""
    from keyplan.territory.analysis.whitespace import peer_values

    return cached(
        "whitespace-values",
        None,
        {"window": str(window), "by": "product"},
        lambda: peer_values(window=window, by="product"),
    )


ACCOUNT_BEST_CELLS = 5  # white-space cells listed with their reasons on an account page


def _whitespace_row(account, window=None):
    """The account's row of the white-space matrix: its own sales and pipeline against the
    territory's peer values, which are cached apart (small; the same whoever looks) and
    filled by the background warm-up, so an account page never reads the whole matrix."""
    from keyplan.territory.analysis.params import Window
    from keyplan.territory.analysis.whitespace import account_row

    window = window or Window.default()
    items, values = whitespace_peer_values(window)
    row = account_row(account, window=window, items=items, values=values)
    if row is None:
        return None
    names = {item_id: (name, line) for item_id, name, line in items}
    cells = [
        {
            "item_id": c.item_id,
            "name": names[c.item_id][0],
            "line": names[c.item_id][1],
            "state": c.state,
            "value": c.value,
            "stage": c.stage,
        }
        for c in row.cells
    ]
    # Once the background task has learned today's predictions, white-space cells show
    # their expected value and probability (never learned here: a page must stay fast).
    from keyplan.territory.predictions import latest_predictions

    # Today's model, else the last one learned (the warm-up relearns after a change).
    prediction = latest_predictions(by="product", horizon=12, queue=False).result
    if prediction is None:
        return {"total": row.white_space, "cells": cells, "predicted": False}
    scored = prediction.of_account(account.pk)
    total = Decimal(0)
    for cell in cells:
        if cell["state"] == "white_space":
            p, value, why = scored.get(cell["item_id"], (0.0, 0.0, ""))
            cell["value"] = Decimal(f"{value:.2f}")
            cell["probability"], cell["why"] = p, why
            total += cell["value"]
    # The likeliest to pay off, in words on the page: a tooltip cannot be read on a phone.
    best = sorted(
        (c for c in cells if c["state"] == "white_space" and c["value"] > 0),
        key=lambda c: (-c["value"], c["name"]),
    )[:ACCOUNT_BEST_CELLS]
    return {"total": total, "cells": cells, "predicted": True, "best": best}


def account_panel(account) -> dict:
    """What the territory analyses say about one account, for its page: potential, share
    of wallet and how they were found, and whether it is strategic."""
    from keyplan.territory.analysis.audience import audience
    from keyplan.territory.models import StrategicAccount

    gaps = audience(user=None, account_ids=[account.pk]).accounts
    return {
        "whitespace_row": _whitespace_row(account),
        "audience_gaps": [c for c in gaps[0].lines if c.missing] if gaps else [],
        "wallet": account_wallets([account.pk]).get(account.pk),
        "strategic": StrategicAccount.objects.filter(account=account)
        .select_related("decided_by")
        .first(),
    }


AUDIENCE_ROWS = 50


@require_http_methods(["GET", "POST"])
def audience_page(request):
    """Audience white space: which key stakeholder roles we know and have engaged, per
    account and product line; sales ops define the roles here."""
    from django.core.exceptions import PermissionDenied

    from keyplan.catalog.models import ProductLine
    from keyplan.territory.analysis.audience import audience
    from keyplan.territory.models import StakeholderRole

    if request.method == "POST":
        if not can_manage_settings(request.user):
            raise PermissionDenied
        if request.POST.get("action") == "remove":
            StakeholderRole.objects.filter(pk=request.POST.get("id")).delete()
            messages.success(request, "Role removed.")
        else:
            line = ProductLine.objects.filter(pk=request.POST.get("product_line")).first()
            name = request.POST.get("name", "").strip()
            keywords = request.POST.get("title_keywords", "").strip()
            function = request.POST.get("function", "").strip()
            if not line or not name or not (keywords or function):
                messages.error(
                    request,
                    "A role needs a product line, a name, and title keywords or a function.",
                )
            elif StakeholderRole.objects.filter(product_line=line, name__iexact=name).exists():
                messages.error(request, f"{line} already has a role called “{name}”.")
            else:
                StakeholderRole.objects.create(
                    product_line=line,
                    name=name[:120],
                    title_keywords=keywords[:255],
                    function=function[:80],
                    seniority=request.POST.get("seniority", "")[:20],
                )
                messages.success(request, f"Role “{name}” added to {line}.")
        return redirect("audience")
    try:
        days = max(1, min(3650, int(request.GET.get("days") or 180)))
    except ValueError:
        days = 180
    result = cached(
        "audience",
        request.user,
        {"days": days, "roles": _roles_version()},
        lambda: audience(user=request.user, days=days),
    )
    ranked = result.accounts.by_coverage()
    page = Paginator(ranked, AUDIENCE_ROWS).get_page(request.GET.get("page"))
    from keyplan.accounts.choices import Seniority

    return render(
        request,
        "territory/audience.html",
        {
            "result": result,
            "page": page,
            "days": days,
            "roles": StakeholderRole.objects.select_related("product_line"),
            "lines": ProductLine.objects.order_by("name"),
            "seniorities": Seniority.choices,
            "manager": can_manage_settings(request.user),
            "nav": "territory",
        },
    )


def _roles_version() -> str:
    from django.db.models import Count, Max

    from keyplan.territory.models import StakeholderRole

    agg = StakeholderRole.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return f"{agg['n']}:{agg['m']}"


@require_http_methods(["GET"])
def history(request):
    """Recorded runs of the analyses, tier counts run by run, and two wallet runs side by
    side: how share of wallet moved from one quarter to the next, and for which accounts."""
    from keyplan.people.scope import scope_for
    from keyplan.territory.analysis.history import (
        compare_wallets_cached,
        headline,
        kind_words,
        parameter_words,
        wallet_runs,
    )
    from keyplan.territory.models import AnalysisRun

    everything = scope_for(request.user).everything
    runs = Paginator(AnalysisRun.objects.select_related("created_by"), HISTORY_ROWS).get_page(
        request.GET.get("page")
    )
    for run in runs.object_list:
        run.headline = headline(run.summary) if everything else ""
        run.kind_words = kind_words(run.kind)
        run.parameter_words = parameter_words(run.parameters)
    choices = list(wallet_runs()[:HISTORY_ROWS])
    comparison, problem = None, None
    if len(choices) >= 2:
        try:
            after = int(request.GET.get("after") or choices[0].pk)
            before = int(request.GET.get("before") or choices[1].pk)
        except ValueError:
            problem = "Choose the runs to compare from the lists."
        else:
            try:
                comparison = compare_wallets_cached(
                    user=request.user, before_id=before, after_id=after
                )
            except ParameterError as exc:
                problem = str(exc)
    return render(
        request,
        "territory/history.html",
        {
            "runs": runs,
            "everything": everything,
            "tier_runs": TierRun.objects.select_related("version", "created_by")[:HISTORY_ROWS]
            if everything
            else [],
            "choices": choices,
            "comparison": comparison,
            "totals": [comparison.before, comparison.after] if comparison else [],
            "movers": [
                ("Share of wallet gained most", comparison.gained, "gained"),
                ("Share of wallet lost most", comparison.lost, "lost"),
            ]
            if comparison
            else [],
            "problem": problem,
            "nav": "territory",
        },
    )


HISTORY_ROWS = 25
