"""The OpenAPI schema's refusals, documented in one place.

Every operation can answer 400 (a value it cannot take), 401 (not signed in), 403 (not
allowed) and 404 (not there, or not visible to the user); a change or delete can also
answer 409 (someone saved it since the version sent) and 428 (no version sent); the
token endpoint can answer 429 (signing in locked). Every operation can also answer 406 (an
``Accept`` header asking for a format the API does not write), one that takes a body 415
(a ``Content-Type`` it does not read), and any 503 with ``Retry-After`` (the database was
busy with another write, such as a large import, for longer than the lock wait: nothing
was saved; see ``core.errors.busy_response``). The views document their own
descriptions where they have something particular to say; this postprocessing hook adds
the ones they leave out and gives every refusal its body's shape, so the schema says
what a client will actually get."""

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"

SCHEMAS = {
    ERROR: {
        "type": "object",
        "description": "A refusal: ``detail`` says why, in words. A stale version's 409 "
        "also holds ``current``, the item as it is now.",
        "properties": {
            "detail": {"type": "string"},
            "current": {"type": "object", "additionalProperties": {}},
        },
        "required": ["detail"],
        "additionalProperties": {},
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": "Values refused: each field's name with its messages "
        "(``non_field_errors`` for the whole request, ``detail`` for a single message).",
        "additionalProperties": {},
    },
}

DESCRIPTIONS = {
    "400": "A value refused: the body names each field and why",
    "401": "Not signed in, or the token has expired or was revoked",
    "403": "Not allowed for your role or on this item",
    "404": "There is nothing here, or it is not visible to you",
    "409": "Someone saved it after the version you sent; nothing was saved",
    "428": "No version sent (the “version” field or If-Match); nothing was saved",
    "406": "The Accept header asks for a format the API does not answer in (it answers JSON)",
    "415": "The body's Content-Type is not one the API reads (send JSON)",
    "429": "Too many wrong passwords: signing in is locked for a time",
    "503": "The database was busy with another write (such as a large import) for too "
    "long: nothing was saved; try again after the seconds in Retry-After",
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}

# A read answered from the facts before a sales change while its warm-up runs
# (territory.middleware): only then are these headers present.
EARLIER_FIGURES = {
    "Keyplan-Figures-Computed-At": {
        "description": "Present only when figures in this answer come from the facts before "
        "a sales change still being taken in: when the oldest of them was computed (ISO "
        "8601, UTC)",
        "required": False,
        "schema": {"type": "string", "format": "date-time"},
    },
    "Keyplan-Facts-Changed-At": {
        "description": "Present with Keyplan-Figures-Computed-At: when the change being taken "
        "in was made (ISO 8601, UTC); ask again in a few minutes for figures that include it",
        "required": False,
        "schema": {"type": "string", "format": "date-time"},
    },
    "Keyplan-Figures-Note": {
        "description": "Present with Keyplan-Figures-Computed-At: the same in words",
        "required": False,
        "schema": {"type": "string"},
    },
}

WRITES = {"post", "put", "patch", "delete"}
CHANGES = {"put", "patch", "delete"}
WITH_BODY = {"post", "put", "patch"}


def refusals(method: str, path: str, *, takes_body: bool = False) -> list[str]:
    """The refusal statuses an operation can answer."""
    codes = ["400", "401", "403", "404", "406"]
    if method in WRITES:
        codes.append("409")
    if takes_body and method in WITH_BODY:
        codes.append("415")
    if method in CHANGES:
        codes.append("428")
    if path.endswith("/auth/token/") and method == "post":
        codes.append("429")
    codes.append("503")
    return codes


def _body(code: str) -> dict:
    name = VALIDATION_ERROR if code == "400" else ERROR
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def document_refusals(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation's 4xx answers, with bodies,
    and the headers a read answered from earlier figures carries."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            takes_body = "requestBody" in operation
            for code in refusals(method, path, takes_body=takes_body):
                response = responses.setdefault(code, {"description": DESCRIPTIONS[code]})
                response.setdefault("content", _body(code))
                if code == "503":
                    response.setdefault("headers", {}).update(RETRY_AFTER)
            if method == "get":
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", {}).update(EARLIER_FIGURES)
    return result
