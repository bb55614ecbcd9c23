"""The OpenAPI 3 schema describes every endpoint, validates without a warning, and the
interactive docs work offline (every asset served by keyplan itself)."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

READ_WRITE = [
    "accounts",
    "contacts",
    "interactions",
    "products",
    "product-lines",
    "sale-lines",
    "opportunities",
]


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_describes_every_endpoint_and_method(schema):
    paths = schema["paths"]
    for name in READ_WRITE:
        assert set(paths[f"/api/v1/{name}/"]) >= {"get", "post"}
        assert set(paths[f"/api/v1/{name}/{{id}}/"]) >= {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/users/"]) == {"get"}
    assert set(paths["/api/v1/users/{id}/"]) == {"get"}
    assert "post" in paths["/api/v1/auth/token/"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_lists_filters_ordering_and_paging(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/accounts/"]["get"]["parameters"]}
    assert {"q", "owner", "within", "top_level", "ordering", "page", "page_size"} <= set(parameters)
    assert parameters["within"]["schema"]["type"] == "integer"
    opportunity_filters = {
        p["name"] for p in schema["paths"]["/api/v1/opportunities/"]["get"]["parameters"]
    }
    assert {"status", "account", "close_after", "close_before", "product_line"} <= (
        opportunity_filters
    )


def test_money_is_described_as_decimal_strings(schema):
    components = schema["components"]["schemas"]
    for component, field in [
        ("Account", "annual_revenue"),
        ("Opportunity", "amount"),
        ("Opportunity", "weighted_amount"),
        ("SaleLine", "amount"),
        ("Product", "list_price"),
    ]:
        prop = components[component]["properties"][field]
        assert (prop["type"], prop["format"]) == ("string", "decimal"), (component, field)


def test_schema_generates_with_no_warnings_and_validates(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    document = yaml.safe_load(out.read_text())
    assert document["openapi"].startswith("3.")
    assert "/api/v1/accounts/{id}/" in document["paths"]


def test_interactive_docs_load_only_local_assets(client, org):
    client.force_login(org.rep)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the docs page loads its scripts and styles"
    # Its start-up script is a file of its own (/api/docs/?script=): the
    # Content-Security-Policy allows no inline script.
    script = [a for a in assets if a.startswith("/api/docs/?")]
    assert len(script) == 1
    for asset in assets:
        assert asset.startswith(("/static/", "/api/docs/?")), f"{asset} is not served by keyplan"
        assert client.get(asset).status_code == 200, asset
    assert "swagger-ui" in html
    start = client.get(script[0]).content.decode()
    assert "/api/schema/" in start
    # Swagger UI would otherwise fetch a badge from validator.swagger.io on every visit.
    assert '"validatorUrl": null' in start


@pytest.mark.parametrize(
    "path, extra",
    [
        ("/api/v1/analyses/pareto/", "summary"),
        ("/api/v1/analyses/tiers/", "version"),
        ("/api/v1/analyses/whitespace/", "items"),
        ("/api/v1/analyses/audience/", "totals"),
        ("/api/v1/analyses/wallet/", None),
    ],
)
def test_analyses_are_documented_as_the_pages_they_answer(schema, path, extra):
    ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    name = ok["schema"]["$ref"].rsplit("/", 1)[-1]
    page = schema["components"]["schemas"][name]
    assert page["type"] == "object", f"{path} answers a page, not an array"
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert page["properties"]["results"]["type"] == "array"
    if extra:
        assert extra in page["properties"]


def test_names_of_relations_that_may_be_empty_are_nullable(schema):
    components = schema["components"]["schemas"]
    for component, field in [
        ("Account", "parent_name"),
        ("Contact", "reports_to_name"),
        ("Opportunity", "product_name"),
        ("User", "team"),
        ("ImportRun", "created_by"),
    ]:
        assert components[component]["properties"][field].get("nullable"), (component, field)


def test_every_operation_documents_its_refusals_with_a_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "404"}
            if method in {"put", "patch", "delete"}:
                expected |= {"409", "428"}
            responses = operation["responses"]
            missing = expected - set(responses)
            assert not missing, f"{method.upper()} {path} leaves out {sorted(missing)}"
            for code in expected:
                # The shape of the body: the common Error or ValidationError, or the
                # view's own.
                assert responses[code]["content"]["application/json"]["schema"]["$ref"]
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["detail"]["type"] == "string"
