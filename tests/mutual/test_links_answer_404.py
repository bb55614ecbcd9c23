"""A shared link opens the plan while it is active; expired, revoked, forged, unknown
links and links of an archived plan all answer the same 404 page, with no hint."""

import re

from django.test import Client, override_settings
from django.utils import timezone

from keyplan.mutual import services as mutual
from keyplan.mutual.links import share_path
from keyplan.mutual.models import PlanShare
from keyplan.plans import services
from tests.mutual.conftest import expire, share


def _get(path):
    return Client().get(path)


def _page(response) -> str:
    """The page without its CSRF token (a new one for every visitor)."""
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())


@override_settings(KEYPLAN_SITE_NAME="Acme Industrial Sales")
def test_an_active_link_opens_the_plan_branded_without_signing_in(mutual_plan):
    path = share_path(share(mutual_plan))
    response = _get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acme Industrial Sales" in page
    assert "Our plan with Mine Group" in page
    assert "Halve unplanned downtime" in page
    # No staff navigation, no link into keyplan's own pages.
    assert "/plans/" not in page and "/accounts/" not in page and "Territory" not in page


def test_expired_revoked_forged_and_unknown_links_answer_the_same_404(mutual_plan):
    unknown = _get("/shared/nothing-like-a-link/")
    assert unknown.status_code == 404

    expired = share(mutual_plan)
    expire(expired)
    revoked = share(mutual_plan)
    mutual.share_revoke(share=revoked, user=mutual_plan.org.rep)
    live = share(mutual_plan)
    token = share_path(live).split("/")[2]
    forged = f"/shared/{token[:-3]}abc/"
    for path in (share_path(expired), share_path(revoked), forged):
        response = _get(path)
        assert response.status_code == 404
        assert _page(response) == _page(unknown)

    assert _get(share_path(live)).status_code == 200
    services.plan_archive(plan=mutual_plan.plan, user=mutual_plan.org.rep)
    archived = _get(share_path(live))
    assert archived.status_code == 404 and _page(archived) == _page(unknown)


def test_a_link_expires_at_the_end_of_its_last_day(mutual_plan):
    today = timezone.localdate()
    item = share(mutual_plan, expires_on=today)
    assert _get(share_path(item)).status_code == 200
    assert PlanShare.objects.get(pk=item.pk).expires_at > timezone.now()
    PlanShare.objects.filter(pk=item.pk).update(expires_at=timezone.now())
    assert _get(share_path(item)).status_code == 404


def test_a_link_of_a_share_whose_key_changed_opens_nothing(mutual_plan):
    """A database restored or regenerated reuses ids: the random key signed into the
    link keeps an old link from opening a new share with the same id."""
    item = share(mutual_plan)
    path = share_path(item)
    PlanShare.objects.filter(pk=item.pk).update(link_key="another-key")
    assert _get(path).status_code == 404
