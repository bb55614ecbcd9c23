"""Routes of the relationship and decision map (kept apart from plans/urls.py)."""

urlpatterns: list = []
