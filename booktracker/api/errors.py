"""Every API error is JSON: {"error": {"code", "message", "field"}}."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from booktracker.errors import ServiceError

log = logging.getLogger("booktracker.api")


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else {}
        if retry_after := getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(retry_after)
        return JSONResponse(error_body(exc.code, exc.message, exc.field), exc.http_status, headers=headers)

    @api.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(part) for part in first.get("loc", ())[1:]) or None
        return JSONResponse(error_body("invalid_input", first.get("msg", "Invalid request."), field), 422)

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), exc.status_code)

    @api.exception_handler(DBAPIError)
    async def _database_down(_request: Request, exc: DBAPIError):
        log.warning("database error in API: %s", exc)
        return JSONResponse(error_body("database_unavailable", "The database is unreachable; try again shortly."), 503)
