from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "keyplan.reviews"
    label = "reviews"
    verbose_name = "Quarterly reviews"
