"""The API object: /api/v1/, its routers, its docs page and the one error shape.

django-ninja: the OpenAPI 3 schema comes from the type hints the endpoints already need,
pydantic validates bodies and parameters, and it ships Swagger UI's files, so the docs page is
served from our own static files under the project's Content-Security-Policy."""

from __future__ import annotations

import logging

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api.endpoints import clients, imports
from api.errors import ApiError, payload
from imports.jobs import ImportRefused

logger = logging.getLogger(__name__)

# Swagger UI draws its icons from data: URLs; nothing else of the project's policy changes.
docs_policy = csp_update({"img-src": ["data:"]})

api = NinjaAPI(
    title="Clientport API",
    version="1",
    description="Clients and imports of one firm, as the token's team member sees them. See docs/api.md.",
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    docs_decorator=docs_policy,
)
api.add_router("", imports.router)
api.add_router("", clients.router)


def _answer(request, status: int, code: str, message: str, details=None, headers=None):
    response = api.create_response(request, payload(code, message, details), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def api_error(request, exc: ApiError):
    return _answer(request, exc.status, exc.code, exc.message, exc.details, exc.headers)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    if getattr(getattr(request, "upload_limit", None), "exceeded", False):
        return api_error(request, imports._too_large())
    details = [{"loc": list(error.get("loc", ())), "msg": str(error.get("msg", "")), "type": str(error.get("type", ""))}
               for error in exc.errors]
    first = details[0] if details else {"loc": [], "msg": "The request is not valid."}
    where = ".".join(str(part) for part in first["loc"])
    return _answer(request, 422, "invalid_request", f"{where}: {first['msg']}" if where else first["msg"], details)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _answer(request, 401, "unauthenticated", "Send an API token: Authorization: Bearer cpt_…")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _answer(request, 403, "forbidden", str(exc) or "Your role does not allow this.")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _answer(request, 404, "not_found", "No such record in your firm.")


@api.exception_handler(ImportRefused)
def import_refused(request, exc):
    return _answer(request, 422, "import_refused", str(exc))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    code = "malformed_body" if exc.status_code == 400 else "http_error"
    return _answer(request, exc.status_code, code, str(exc))


@api.exception_handler(Exception)
def unexpected(request, exc):
    logger.exception("API request %s %s failed", request.method, request.path)
    return _answer(request, 500, "internal_error", "Something went wrong on our side; nothing was changed.")
