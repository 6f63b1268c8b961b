"""Errors a service raises; each carries a stable code and a reader-facing message."""


class ServiceError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    code = "invalid_input"
    http_status = 422


class AuthenticationFailed(ServiceError):
    code = "authentication_failed"
    http_status = 401


class NotFound(ServiceError):
    """Also used for objects owned by someone else, so ids leak nothing."""

    code = "not_found"
    http_status = 404


class Conflict(ServiceError):
    code = "conflict"
    http_status = 409
