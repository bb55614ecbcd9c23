"""Optimistic locking for the API: every change or delete names the version it was made
from, so nobody overwrites someone else's save without knowing.

A client sends the ``version`` it loaded (in the body, or as an ``If-Match`` header with
the ETag a detail GET answers, or for a delete as ``?version=``). Without one the write
is refused with 428 Precondition Required; from an older version, 409 Conflict saying
when it was changed and what it holds now. Nothing is saved in either case."""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status

from keyplan.core import words

VERSION_HELP = (
    "The version you loaded (from a GET). Required: without it the change is refused "
    "with 428; when someone saved the item since, nothing is saved and the answer is 409 "
    "saying what changed. An If-Match header with the ETag may be sent instead."
)
MAX_VERSION = 2**31 - 1


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send the version you loaded (the “version” field, or an If-Match header with the "
        "ETag of a GET) so that nobody's changes are overwritten without knowing. Nothing "
        "was saved."
    )
    default_code = "version_required"


class StaleVersion(exceptions.APIException):
    """Someone else saved the item after the version the client sent."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, current: dict | None = None):
        super().__init__(detail)
        if current is not None:
            self.detail = {"detail": self.detail, "current": current}


PRECONDITION_REQUIRED = OpenApiResponse(
    description="No version sent (neither the “version” field nor If-Match): nothing was "
    "saved; GET the item and send its version"
)
STALE = OpenApiResponse(
    description="Stale version: someone saved it after the version you sent; nothing was "
    "saved and the detail says when it changed (``current`` holds it as it is now)"
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the version you loaded (instead of the “version” field)",
)
VERSION_QUERY = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    required=False,
    description="The version you loaded (or send If-Match); required one way or the other",
)


def etag(version: int) -> str:
    return f'"{version}"'


def _parse(text, *, where: str) -> int:
    value = str(text).strip()
    if where == "If-Match":
        value = value.removeprefix("W/").strip('"')
    if not value.isdigit() or not 1 <= int(value) <= MAX_VERSION:
        raise exceptions.ValidationError(
            {"version": [f"{where} “{text}” is not a version number (a whole number from 1)."]}
        )
    return int(value)


def sent_version(request, *, required: bool = True) -> int | None:
    """The version the client says it loaded: the body's ``version``, else ``If-Match``,
    else (deletes) ``?version=``. None only when not ``required``."""
    data = request.data if isinstance(request.data, dict) else {}
    if data.get("version") not in (None, ""):
        return _parse(data["version"], where="version")
    header = request.headers.get("If-Match")
    if header:
        if header.strip() == "*":
            raise exceptions.ValidationError(
                {"version": ["If-Match “*” names no version; send the ETag you loaded."]}
            )
        return _parse(header.split(",")[0], where="If-Match")
    query = request.query_params.get("version")
    if query:
        return _parse(query, where="version")
    if required:
        raise PreconditionRequired()
    return None


def stale_message(obj, *, sent: int) -> str:
    label = type(obj)._meta.verbose_name
    when = ""
    changed_at = getattr(obj, "updated_at", None)
    if changed_at is not None:
        when = f" at {words.moment(changed_at)}"
    return (
        f"This {label} (“{obj}”) was saved by someone else{when}, after the version you "
        f"loaded: you sent version {sent}, it is now version {obj.version}. Nothing was "
        "saved; reload it, apply your changes again and send the new version."
    )


class ETagOnRead:
    """A detail GET, and a change, answer the record's version as its ETag (to send back
    as If-Match)."""

    def retrieve(self, request, *args, **kwargs):
        return _with_etag(super().retrieve(request, *args, **kwargs))

    def update(self, request, *args, **kwargs):
        return _with_etag(super().update(request, *args, **kwargs))


def _with_etag(response):
    version = response.data.get("version") if isinstance(response.data, dict) else None
    if version is not None:
        response["ETag"] = etag(version)
    return response


class VersionedWrites(ETagOnRead):
    """For viewsets of versioned records: a change or delete must name the version it
    was made from (428 without, 409 when stale); a detail GET answers the version as an
    ETag. The row is locked while checked and written, so two writers cannot both pass
    the check. Subclasses whose service bumps the version set ``service_bumps``."""

    service_bumps = False

    def _checked(self, request):
        """The instance, locked for this transaction, if the version sent is its own."""
        instance = self.get_object()  # an invisible id is 404 before anything else
        sent = sent_version(request)
        stored = (
            type(instance)
            .objects.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        instance.version = stored
        if stored != sent:
            current = self.get_serializer(instance).data
            raise StaleVersion(stale_message(instance, sent=sent), current=current)
        return instance

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self._checked(request)
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self._checked(request)
            return super().destroy(request, *args, **kwargs)

    def perform_update(self, serializer):
        if self.service_bumps:
            return super().perform_update(serializer)
        serializer.save(version=serializer.instance.version + 1)


def versioned_schema(viewset=None, *, forbidden: str | None = None):
    """The version rules of a viewset's writes, in the schema: 428 and 409 on change and
    delete, If-Match accepted, ``?version=`` for deletes; with ``forbidden``, the 403 of
    every write (who may not write)."""

    def decorate(viewset):
        refusals = {409: STALE, 428: PRECONDITION_REQUIRED}
        created = {201: viewset.serializer_class}
        if forbidden:
            refusals[403] = created[403] = OpenApiResponse(description=forbidden)
        changed = {200: viewset.serializer_class} | refusals
        return extend_schema_view(
            create=extend_schema(responses=created),
            update=extend_schema(parameters=[IF_MATCH], responses=changed),
            partial_update=extend_schema(parameters=[IF_MATCH], responses=changed),
            destroy=extend_schema(
                parameters=[IF_MATCH, VERSION_QUERY], responses={204: None} | refusals
            ),
        )(viewset)

    return decorate(viewset) if viewset is not None else decorate


class VersionField(serializers.IntegerField):
    """``version`` in a representation: read back by clients, sent with their changes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", VERSION_HELP)
        super().__init__(**kwargs)


class VersionedSerializer(serializers.ModelSerializer):
    """A record with a ``version``: shown, and accepted in a change (the viewset checks
    it before anything is saved; it never reaches the model as a value)."""

    version = VersionField()

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values.pop("version", None)
        return values
