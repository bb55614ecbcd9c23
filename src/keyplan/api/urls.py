from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from keyplan.api import views
from keyplan.core.security import csp_update
from keyplan.crm.api import SalesforceExportView
from keyplan.forecast.api import AccountForecastView, ForecastView
from keyplan.imports.api import ImportRunViewSet
from keyplan.mutual.api import PlanShareRevokeView, PlanSharesView
from keyplan.outputs.api import PlanExportView, ReviewPackView, TerritoryPlanExportView
from keyplan.people.api import TokenView
from keyplan.plans import api as plans_api
from keyplan.plans.api.comments import NewOfferingRequestsView, PlanCommentsView, PlanCommentView
from keyplan.plans.api.meetings import ExecutiveMeetingRequestViewSet
from keyplan.reviews.api import ReviewSittingViewSet
from keyplan.salesplan.api import QuotaViewSet
from keyplan.territory.api import (
    AudienceView,
    ParetoView,
    TiersView,
    WalletHistoryView,
    WalletView,
    WhiteSpaceView,
)

router = DefaultRouter()
router.register("accounts", views.AccountViewSet, basename="account")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("interactions", views.InteractionViewSet, basename="interaction")
router.register("products", views.ProductViewSet, basename="product")
router.register("product-lines", views.ProductLineViewSet, basename="productline")
router.register("sale-lines", views.SaleLineViewSet, basename="saleline")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("users", views.UserViewSet, basename="user")
router.register("imports", ImportRunViewSet, basename="importrun")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("plan-goals", plans_api.PlanGoalViewSet, basename="plan-goal")
router.register("plan-values", plans_api.PlanValueViewSet, basename="plan-value")
router.register("plan-vendors", plans_api.PlanVendorViewSet, basename="plan-vendor")
router.register("plan-ideas", plans_api.PlanIdeaViewSet, basename="plan-idea")
router.register("plan-investments", plans_api.PlanInvestmentViewSet, basename="plan-investment")
router.register("plan-objectives", plans_api.PlanObjectiveViewSet, basename="plan-objective")
router.register(
    "plan-qualitative-goals", plans_api.PlanQualitativeGoalViewSet, basename="plan-qualitative"
)
router.register("plan-strategies", plans_api.PlanStrategyViewSet, basename="plan-strategy")
router.register("plan-actions", plans_api.PlanActionViewSet, basename="plan-action")
router.register("plan-milestones", plans_api.PlanMilestoneViewSet, basename="plan-milestone")
router.register("plan-help-requests", plans_api.PlanHelpRequestViewSet, basename="plan-help")
router.register("plan-pairings", plans_api.PlanPairingViewSet, basename="plan-pairing")
router.register("review-sittings", ReviewSittingViewSet, basename="review-sitting")
router.register(
    "executive-meeting-requests", ExecutiveMeetingRequestViewSet, basename="executive-meeting"
)

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/analyses/pareto/", ParetoView.as_view(), name="api-pareto"),
    path("v1/analyses/tiers/", TiersView.as_view(), name="api-tiers"),
    path("v1/analyses/whitespace/", WhiteSpaceView.as_view(), name="api-whitespace"),
    path("v1/analyses/audience/", AudienceView.as_view(), name="api-audience"),
    path("v1/analyses/wallet/", WalletView.as_view(), name="api-wallet"),
    path("v1/analyses/wallet/history/", WalletHistoryView.as_view(), name="api-wallet-history"),
    path("v1/analyses/forecast/", ForecastView.as_view(), name="api-forecast"),
    path(
        "v1/accounts/<int:id>/forecast/", AccountForecastView.as_view(), name="api-account-forecast"
    ),
    path("v1/my-work/", plans_api.MyWorkView.as_view(), name="api-my-work"),
    path("v1/rollups/", include("keyplan.salesplan.rollups_api")),
    path("v1/capacity/", plans_api.CapacityView.as_view(), name="api-capacity"),
    path(
        "v1/territory-plans/<int:id>/export/",
        TerritoryPlanExportView.as_view(),
        name="api-territory-plan-export",
    ),
    path("v1/review-packs/", ReviewPackView.as_view(), name="api-review-pack"),
    path("v1/", include("keyplan.salesplan.territory.api")),  # territory plans and parts
    path("v1/plans/<int:id>/export/", PlanExportView.as_view(), name="api-plan-export"),
    path("v1/plans/<int:id>/comments/", PlanCommentsView.as_view(), name="api-plan-comments"),
    path(
        "v1/plans/<int:id>/comments/<int:comment_id>/",
        PlanCommentView.as_view(),
        name="api-plan-comment",
    ),
    path(
        "v1/new-offering-requests/",
        NewOfferingRequestsView.as_view(),
        name="api-new-offering-requests",
    ),
    path("v1/exports/salesforce/", SalesforceExportView.as_view(), name="api-export-salesforce"),
    path("v1/plans/<int:id>/shares/", PlanSharesView.as_view(), name="api-plan-shares"),
    path(
        "v1/plans/<int:id>/shares/<int:share_id>/revoke/",
        PlanShareRevokeView.as_view(),
        name="api-plan-share-revoke",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The Swagger UI with its start-up script served as a file (the "split" view), so the
    # strict policy holds for scripts; its page and components style with inline CSS.
    path(
        "docs/",
        csp_update(style_src=["'unsafe-inline'"])(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]
