"""``/api/v1/auth/token/``: a token for a username and password (POST), given up (DELETE).

The POST answer keeps the shape of DRF's ``obtain_auth_token`` (``{"token": ...}``) and
adds ``expires``; the key is shown this once (only its digest is stored). Wrong
passwords count towards the same lockout as the sign-in form: a locked-out username and
address get 429 with the time the lock ends.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.people.lockout import lockout_response
from keyplan.people.models import ApiToken
from keyplan.people.tokens import token_expires, token_issue, token_revoke

_DETAIL = inline_serializer("AuthDetail", {"detail": serializers.CharField()})


class TokenView(APIView):
    """Sign in to the API with a username and password, or give up your token."""

    serializer_class = AuthTokenSerializer

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer(
                "AuthToken",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            ),
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(
                _DETAIL, description="Too many wrong passwords: signing in is locked for a time."
            ),
        },
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # The lockout backend marks the request it was given: DRF's request here.
            if getattr(request, "axes_locked_out", False):
                credentials = getattr(request, "axes_credentials", None)
                return lockout_response(request, credentials=credentials)
            raise
        token, key = token_issue(user=serializer.validated_data["user"])
        return Response({"token": key, "expires": token_expires(token)})

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(
                description="The token sent no longer signs in (signed in by the web "
                "session: none of your tokens do)."
            ),
            401: OpenApiResponse(_DETAIL, description="Not signed in."),
        },
    )
    def delete(self, request):
        used = request.auth if isinstance(request.auth, ApiToken) else None
        token_revoke(user=request.user, token=used)
        return Response(status=status.HTTP_204_NO_CONTENT)
