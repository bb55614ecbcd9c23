"""The product catalogue: product lines and products (everyone reads, sales ops and
admins change)."""

from rest_framework import serializers

from keyplan.api.versions import VersionedSerializer
from keyplan.catalog.models import Product, ProductLine


class ProductLineSerializer(VersionedSerializer):
    class Meta:
        model = ProductLine
        fields = ["id", "name", "is_core", "description", "version"]


class ProductSerializer(VersionedSerializer):
    product_line_name = serializers.CharField(source="product_line.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "external_id",
            "name",
            "product_line",
            "product_line_name",
            "list_price",
            "is_active",
            "version",
        ]
