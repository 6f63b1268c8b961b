"""Builds the FastAPI app mounted by Reflex at /api/v1."""

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from booktracker.api import (
    health,
    routes_accounts,
    routes_auth,
    routes_avatar,
    routes_books,
    routes_circles,
    routes_google,
    routes_images,
    routes_imports,
    routes_library,
    routes_notifications,
    routes_posts,
    routes_push,
    routes_reading,
    routes_reads,
    routes_recommendations,
    routes_safety,
    routes_security,
    routes_shelves,
    routes_social,
    share,
)
from booktracker.api.errors import install_error_handlers

API_PREFIX = "/api/v1"
# Compress answers of 1 KB and more for clients that accept gzip (every browser): a feed page of 20
# posts is ~12 KB of JSON (the bench's seed: 960 bytes gzipped; its text repeats, real text
# compresses ~3-4x). Level 6, not Starlette's 9: 960 against 944 bytes there, for less CPU on
# the shared worker. The static export is compressed by its host (Vercel).
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6


def build_api() -> FastAPI:
    api = FastAPI(
        title="TrackMyRead API",
        version="1.0.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # The Swagger UI loads from a CDN; the JSON spec is what clients need.
        docs_url=None,
        redoc_url=None,
    )
    for router in (
        routes_auth.router,
        routes_accounts.router,
        routes_avatar.router,
        routes_security.router,
        routes_library.router,
        routes_reads.router,
        routes_shelves.router,
        routes_posts.router,
        routes_circles.router,
        routes_images.router,
        routes_social.router,
        routes_safety.router,
        routes_reading.router,
        routes_books.router,  # after routes_reading: /books/search is matched first
        routes_imports.router,
        routes_push.router,
        routes_recommendations.router,
        routes_google.router,
        routes_notifications.router,
    ):
        api.include_router(router, prefix=API_PREFIX)
    api.include_router(health.router)
    # Link previews, sitemap and robots.txt for crawlers (outside /api/v1: they are pages).
    api.include_router(share.router)
    install_error_handlers(api)
    api.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    return api
