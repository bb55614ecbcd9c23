from django.urls import path

from keyplan.catalog import views

urlpatterns = [path("products/", views.ProductListView.as_view(), name="product_list")]
