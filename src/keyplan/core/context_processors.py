from django.conf import settings


def keyplan(request):
    return {"KEYPLAN_CURRENCY": settings.KEYPLAN_CURRENCY}
