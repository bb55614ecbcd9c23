"""The executive program page: are the leader-to-leader relationships of the strategic
accounts kept this quarter (plans.executive_program; rows from the plans one may see),
and the executive meeting requests: asked from a late pairing's row, answered by the
executive (plans.meetings)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from keyplan.plans.executive_program import executive_program
from keyplan.plans.meetings import open_by_pairing, waiting_for
from keyplan.plans.permissions import meeting_ask_refusal


@require_GET
def executive_program_view(request):
    program = executive_program(request.user)
    asked = open_by_pairing({r.plan.pk for r in program.rows}) if program.rows else {}
    for r in program.rows:
        r.meeting = asked.get(r.pairing.pk)
        # The plans' owners come with their managers and teams: no query per row.
        r.may_ask = r.late and meeting_ask_refusal(request.user, r.plan) is None
    return render(
        request,
        "plans/executive_program.html",
        {
            "nav": "plans",
            "program": program,
            "sees_everything": request.user.sees_everything,
            "meetings": waiting_for(request.user),
        },
    )
