"""The executive program page: are the leader-to-leader relationships of the strategic
accounts kept this quarter (plans.executive_program; rows from the plans one may see)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from keyplan.plans.executive_program import executive_program


@require_GET
def executive_program_view(request):
    program = executive_program(request.user)
    return render(
        request,
        "plans/executive_program.html",
        {"nav": "plans", "program": program, "sees_everything": request.user.sees_everything},
    )
