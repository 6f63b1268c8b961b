"""Link previews, the sitemap and robots.txt, served by the backend.

The frontend is a static export: every /u/<name> and /book/<id> is the same
SPA fallback page, and link-preview crawlers (Slack, WhatsApp, iMessage,
Discord, X, Facebook…) run no JavaScript. So the share button shares
``<backend>/share/u/<name>`` or ``/share/book/<id>``: a small HTML page with
the Open Graph and Twitter card tags of that profile or book, which sends a
person on to the real page (meta refresh) and lets a crawler read the tags.
A profile or book visitors may not see gets the generic TrackMyRead card,
the same as an unknown one (services/sharing.py).
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from booktracker import pwa, routes
from booktracker.api.deps import SessionDep
from booktracker.services import sharing
from booktracker.settings import settings

router = APIRouter(tags=["sharing"], include_in_schema=False)
SHARE_PREFIX = routes.SHARE_PREFIX
# Link-preview and search crawlers: they get the tags without the redirect
# (some would otherwise follow it to the empty SPA page and read nothing).
CRAWLERS = (
    "bot",
    "crawler",
    "spider",
    "facebookexternalhit",
    "facebookcatalog",
    "slack",
    "whatsapp",
    "telegram",
    "discord",
    "embedly",
    "skype",
    "pinterest",
    "redditbot",
    "mastodon",
    "bluesky",
)
# Pages nobody searches for: the reader's own data, and the API/websocket.
ROBOTS_DISALLOW = ("/api/", "/_event", "/_upload", "/settings", "/library", "/stats", "/import", "/moderation")


def share_profile_url(username: str) -> str:
    return pwa.backend_url() + routes.share_profile(username)


def share_book_url(book_id: int) -> str:
    return pwa.backend_url() + routes.share_book(int(book_id))


def _is_crawler(request: Request) -> bool:
    agent = request.headers.get("user-agent", "").lower()
    return any(name in agent for name in CRAWLERS)


def _image(url: str) -> str:
    # Only absolute https images (covers, Cloudinary avatars); local ones become the default card.
    return url if urlsplit(url).scheme == "https" else settings.public_url + pwa.OG_IMAGE


def card_page(*, request: Request, title: str, description: str, image: str, page: str, kind: str) -> HTMLResponse:
    """The preview page: OG + Twitter tags; a meta refresh to ``page`` for people."""
    e = html.escape
    target = settings.public_url + page
    share_url = str(request.url.replace(query=""))
    tags = [
        ("property", "og:site_name", pwa.SITE_NAME),
        ("property", "og:type", kind),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:image", _image(image)),
        ("property", "og:url", share_url),
        ("name", "twitter:card", "summary_large_image" if not image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", _image(image)),
        ("name", "description", description),
    ]
    meta = "\n".join(f'  <meta {attr}="{e(name)}" content="{e(value)}">' for attr, name, value in tags)
    refresh = "" if _is_crawler(request) else f'  <meta http-equiv="refresh" content="0; url={e(target)}">\n'
    body = (
        '<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n'
        f"  <title>{e(title)}</title>\n{meta}\n"
        f'  <link rel="canonical" href="{e(share_url)}">\n  <link rel="icon" href="{e(settings.public_url)}/favicon.svg">\n'
        f"{refresh}</head>\n<body>\n"
        f'  <p><a href="{e(target)}">{e(title)}</a></p>\n  <p>{e(description)}</p>\n</body>\n</html>\n'
    )
    # Previews are cached by the chat apps anyway; an hour keeps a renamed profile fresh enough.
    return HTMLResponse(body, headers={"cache-control": "public, max-age=3600"})


@router.get(f"{SHARE_PREFIX}/u/{{username}}", response_class=HTMLResponse)
def share_profile(username: str, request: Request, session: SessionDep):
    card = sharing.profile_card(session=session, username=username)
    if card is None:
        return _generic(request, routes.profile(username))
    title = f"{card.name} (@{card.username}) on TrackMyRead"
    return card_page(
        request=request,
        title=title,
        description=card.description,
        image=card.image,
        page=routes.profile(card.username),
        kind="profile",
    )


@router.get(f"{SHARE_PREFIX}/book/{{book_id}}", response_class=HTMLResponse)
def share_book(book_id: int, request: Request, session: SessionDep):
    card = sharing.book_card(session=session, book_id=book_id)
    if card is None:
        return _generic(request, routes.HOME)
    title = f"{card.title} by {card.authors}" if card.authors else card.title
    page = routes.book_page(card.id, card.title)
    return card_page(
        request=request, title=title, description=card.description, image=card.image, page=page, kind="book"
    )


def _generic(request: Request, page: str) -> HTMLResponse:
    return card_page(
        request=request, title=pwa.SITE_NAME, description=pwa.DESCRIPTION, image="", page=page, kind="website"
    )


@router.get("/sitemap.xml")
def sitemap_xml(session: SessionDep):
    usernames, books = sharing.sitemap(session=session)
    base = settings.public_url
    paths = [routes.profile(name) for name in usernames] + [routes.book_page(i, title) for i, title in books]
    urls = "".join(f"  <url><loc>{html.escape(base + path)}</loc></url>\n" for path in paths)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )
    return Response(body, media_type="application/xml", headers={"cache-control": "public, max-age=3600"})


def robots_txt(sitemap_url: str) -> str:
    """The same rules for the frontend (assets/robots.txt + the export's Sitemap line) and the backend."""
    disallow = "".join(f"Disallow: {path}\n" for path in ROBOTS_DISALLOW)
    return f"User-agent: *\nAllow: /\n{disallow}" + (f"Sitemap: {sitemap_url}\n" if sitemap_url else "")


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots():
    return robots_txt(f"{pwa.backend_url()}/sitemap.xml")
