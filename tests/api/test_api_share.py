"""/share/…, /sitemap.xml and /robots.txt: link previews for crawlers, a redirect for people."""

import html
import re
from pathlib import Path

from sqlmodel import Session, select

from booktracker.api.share import robots_txt, share_book_url, share_profile_url
from booktracker.models import Book
from booktracker.settings import settings

ROOT = Path(__file__).resolve().parents[2]
SLACK = {"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36"}


def _meta(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page)
    }


def _add_book(client, headers, title="The Dispossessed") -> int:
    response = client.post(
        "/api/v1/library", json={"title": title, "authors": "Ursula K. Le Guin", "status": "finished"}, headers=headers
    )
    assert response.status_code in (200, 201), response.text
    body = response.json()
    return body.get("book_id") or body["book"]["id"]


def test_a_public_profile_has_its_card_and_people_are_sent_on(client, ann):
    _add_book(client, ann)
    crawler = client.get("/share/u/ann", headers=SLACK)
    assert crawler.status_code == 200 and crawler.headers["content-type"].startswith("text/html")
    tags = _meta(crawler.text)
    assert tags["og:title"] == "Ann (@ann) on TrackMyRead"
    assert tags["og:description"] == "1 book finished, 0 reading now on TrackMyRead."
    assert tags["og:image"] == f"{settings.public_url}/og-default.png" == tags["twitter:image"]
    assert tags["og:type"] == "profile" and tags["twitter:card"] == "summary_large_image"
    assert tags["og:url"].endswith("/share/u/ann")
    assert "http-equiv" not in crawler.text  # crawlers read the tags where they are
    person = client.get("/share/u/ann", headers=BROWSER)
    assert f'http-equiv="refresh" content="0; url={settings.public_url}/u/ann"' in person.text


def test_a_private_profile_looks_like_an_unknown_one(client, ann):
    assert client.patch("/api/v1/me", json={"profile_visibility": "private"}, headers=ann).status_code == 200
    private, unknown = client.get("/share/u/ann", headers=SLACK), client.get("/share/u/nobody", headers=SLACK)
    assert _meta(private.text)["og:title"] == _meta(unknown.text)["og:title"] == "TrackMyRead"
    assert "ann" not in _meta(private.text)["og:description"].lower()


def test_a_book_card_escapes_and_links_the_book_page(client, ann, db):
    book_id = _add_book(client, ann, title='"Quotes" & <tags>')
    with Session(db) as session:
        book = session.exec(select(Book).where(Book.id == book_id)).one()
        book.cover_url = "https://covers.openlibrary.org/b/id/7-L.jpg"
        session.add(book)
        session.commit()
    page = client.get(f"/share/book/{book_id}", headers=BROWSER).text
    assert "<tags>" not in page
    tags = _meta(page)
    assert tags["og:title"] == '"Quotes" & <tags> by Ursula K. Le Guin'
    assert tags["og:image"] == "https://covers.openlibrary.org/b/id/7-L.jpg" and tags["twitter:card"] == "summary"
    assert f"url={settings.public_url}/book/{book_id}-quotes-tags" in page


def test_sitemap_and_robots(client, ann, bob):
    book_id = _add_book(client, ann, title="Earthsea")
    assert client.patch("/api/v1/me", json={"profile_visibility": "followers"}, headers=bob).status_code == 200
    sitemap = client.get("/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.text)
    assert locs == [f"{settings.public_url}/u/ann", f"{settings.public_url}/book/{book_id}-earthsea"]
    robots = client.get("/robots.txt").text
    assert "Disallow: /api/" in robots and robots.rstrip().endswith("/sitemap.xml")
    # The frontend's copy has the same rules; the export adds its Sitemap line (scripts/finish_export.py).
    assert (ROOT / "assets" / "robots.txt").read_text() == robots_txt("")


def test_share_urls_point_at_the_backend():
    assert share_profile_url("a b").endswith("/share/u/a%20b")
    assert share_book_url(12).endswith("/share/book/12")
