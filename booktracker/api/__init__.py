"""The public JSON API (/api/v1) for mobile and third-party clients.

It calls the same services as the web pages; this package only translates
HTTP to service calls and service errors to JSON.
"""
