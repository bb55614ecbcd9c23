"""The product catalogue: every signed-in user reads it; only sales ops and admins
change it; a product line or product still in use cannot be deleted."""

import pytest

from keyplan.catalog.models import Product, ProductLine
from keyplan.people.choices import Role
from tests.factories import ProductFactory, ProductLineFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_user_reads_products_and_product_lines(as_user, org):
    product = ProductFactory(name="Forecast Pro", product_line__name="Analytics")
    client = as_user(org.rep)
    products = client.get("/api/v1/products/").json()["results"]
    assert [(p["name"], p["product_line_name"], p["list_price"]) for p in products] == [
        ("Forecast Pro", "Analytics", "1000.00")
    ]
    assert client.get(f"/api/v1/product-lines/{product.product_line_id}/").json()["name"] == (
        "Analytics"
    )


@pytest.mark.parametrize("who", ["rep", "manager", "executive"])
def test_others_cannot_change_the_catalogue(as_user, org, who):
    product = ProductFactory(name="Forecast Pro")
    client = as_user(getattr(org, who))
    assert client.patch(f"/api/v1/products/{product.pk}/", {"name": "X"}).status_code == 403
    assert client.delete(f"/api/v1/products/{product.pk}/").status_code == 403
    line = client.post("/api/v1/product-lines/", {"name": "Rogue"}, format="json")
    assert line.status_code == 403
    assert "catalogue" in line.json()["detail"]
    assert Product.objects.get(pk=product.pk).name == "Forecast Pro"
    assert not ProductLine.objects.filter(name="Rogue").exists()


@pytest.mark.parametrize("role", [Role.SALES_OPS, Role.ADMIN])
def test_sales_ops_and_admins_maintain_the_catalogue(as_user, org, role):
    client = as_user(UserFactory(username=f"keeper-{role}", role=role))
    line = client.post("/api/v1/product-lines/", {"name": "Security", "is_core": False})
    assert line.status_code == 201, line.json()
    product = client.post(
        "/api/v1/products/",
        {"name": "Shield", "product_line": line.json()["id"], "list_price": "49.90"},
        format="json",
    )
    assert product.status_code == 201, product.json()
    assert product.json()["product_line_name"] == "Security"
    changed = client.patch(
        f"/api/v1/products/{product.json()['id']}/", {"is_active": False}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    assert client.delete(f"/api/v1/products/{product.json()['id']}/").status_code == 204


def test_a_product_line_with_products_is_not_deleted(as_user, org):
    product = ProductFactory()
    response = as_user(org.ops).delete(f"/api/v1/product-lines/{product.product_line_id}/")
    assert response.status_code == 400
    assert "still has products" in response.json()["detail"]
    assert ProductLine.objects.filter(pk=product.product_line_id).exists()


def test_a_product_with_sales_is_not_deleted(as_user, org):
    line = SaleLineFactory(account=org.mine)
    response = as_user(org.ops).delete(f"/api/v1/products/{line.product_id}/")
    assert response.status_code == 400
    assert "mark it inactive" in response.json()["detail"]
    assert Product.objects.filter(pk=line.product_id).exists()


def test_invalid_product_gets_field_errors(as_user, org):
    ProductLineFactory(name="Analytics")
    response = as_user(org.ops).post(
        "/api/v1/products/", {"name": "", "list_price": "-1", "product_line": 987654}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "list_price", "product_line"}
