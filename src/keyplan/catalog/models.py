from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse


class ProductLine(models.Model):
    """A family of products we sell (e.g. "Analytics"). Core lines are what we are
    known for; white space and share of wallet are measured per product line."""

    name = models.CharField(max_length=120, unique=True)
    is_core = models.BooleanField("core line", default=True)
    description = models.TextField(blank=True)

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """Something we sell, in one product line, with its list price."""

    name = models.CharField(max_length=200)
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    product_line = models.ForeignKey(ProductLine, on_delete=models.PROTECT, related_name="products")
    list_price = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField("active", default=True)

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["product_line__name", "name"]
        indexes = [models.Index(fields=["product_line", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("product_list") + f"?product_line={self.product_line_id}"
