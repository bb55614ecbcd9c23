from django.urls import path

from keyplan.reviews import views

urlpatterns = [
    path("reviews/", views.quarter_view, name="reviews_quarter"),
    path("reviews/schedule/", views.schedule_view, name="reviews_schedule"),
    path("reviews/<int:pk>/", views.sitting_view, name="review_sitting"),
    path("reviews/<int:pk>/edit/", views.sitting_edit_view, name="review_sitting_edit"),
    path("reviews/<int:pk>/cancel/", views.sitting_cancel_view, name="review_sitting_cancel"),
    path("reviews/<int:pk>/run/", views.review_mode_view, name="review_mode"),
    path("reviews/<int:pk>/outcome/", views.outcome_view, name="review_outcome"),
    path("reviews/<int:pk>/action/", views.action_view, name="review_action"),
    path("reviews/<int:pk>/close/", views.close_view, name="review_close"),
]
