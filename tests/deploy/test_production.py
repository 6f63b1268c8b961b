"""Production behaviour, proven with real processes, Redis, PostgreSQL and chromium."""

import re
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.deploy.conftest import Backend, backend_env, flush_redis
from tests.support.fake_cloudinary import FakeCloudinary
from tests.support.images import png
from tests.support.servers import free_port

BOOK_URL = re.compile(r".*/books/\d+$")


def sign_up(page: Page) -> None:
    page.goto("/signup")
    page.fill("#name", "Prod Reader")
    page.fill("#email", f"prod-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#password", "a long enough passphrase")
    page.click("#signup-submit")
    page.wait_for_url("**/library")


def add_book(page: Page, title: str, pages: str = "300") -> None:
    page.goto("/books/add")
    page.fill("#title", title)
    page.fill("#total_pages", pages)
    page.click("#add-book-submit")
    page.wait_for_url(BOOK_URL)


def test_two_workers_with_redis_keep_state_and_session(backend, site_page):
    assert len(backend.worker_pids()) == 2
    page = site_page
    sign_up(page)
    add_book(page, "Left Hand of Darkness", "304")
    page.fill("#current_page", "152")
    page.click("#save-progress")
    expect(page.locator("#progress-text")).to_have_text("Page 152 of 304 · 50%")
    # Every reload opens a new websocket, which may land on either worker.
    for _ in range(4):
        page.reload()
        expect(page.locator("#progress-text")).to_have_text("Page 152 of 304 · 50%")
    page.goto("/library")
    expect(page.locator("#library-range")).to_have_text("1 book")
    health = httpx.get(f"{backend.url}/healthz", timeout=10).json()
    assert health == {"status": "ok", "db": True, "redis": True}


def test_posts_from_the_api_reach_an_open_feed_on_any_worker(backend, site_page):
    """Each post is a new HTTP connection, served by either worker; the
    reader's socket stays on one. The notice must arrive every time."""
    page = site_page
    sign_up(page)
    page.goto("/")
    expect(page.locator(".post-card")).to_have_count(0)
    with httpx.Client(base_url=backend.url, timeout=30) as client:
        writer = client.post(
            "/api/v1/auth/signup",
            json={
                "email": f"writer-{uuid.uuid4().hex[:8]}@example.com",
                "name": "Writer",
                "password": "a long enough passphrase",
            },
        ).json()["access_token"]
    for n in range(4):
        with httpx.Client(base_url=backend.url, timeout=30) as client:  # a fresh connection: any worker
            made = client.post(
                "/api/v1/posts", data={"text": f"Live post {n}"}, headers={"Authorization": f"Bearer {writer}"}
            )
            assert made.status_code == 201, made.text
        page.locator("#new-posts").click(timeout=15_000)
        expect(page.get_by_text(f"Live post {n}")).to_be_visible()
        expect(page.locator("#new-posts")).to_have_count(0)


def test_an_origin_outside_cors_origins_is_refused(backend, static_site, browser):
    allowed = httpx.get(f"{backend.url}/ping", headers={"Origin": static_site["url"]}, timeout=5)
    refused = httpx.get(f"{backend.url}/ping", headers={"Origin": static_site["foreign"]}, timeout=5)
    assert allowed.headers.get("access-control-allow-origin") == static_site["url"]
    assert "access-control-allow-origin" not in refused.headers

    context = browser.new_context(base_url=static_site["foreign"])
    page = context.new_page()
    page.goto("/signup")
    page.fill("#name", "Mallory")
    page.fill("#email", "mallory@example.com")
    page.fill("#password", "a long enough passphrase")
    page.click("#signup-submit")
    page.wait_for_timeout(4000)
    assert re.search(r"/signup/?$", page.url)  # the event never reached the backend
    context.close()
    with httpx.Client(timeout=5) as client:
        bad = client.post(
            f"{backend.url}/api/v1/auth/login",
            json={"email": "mallory@example.com", "password": "a long enough passphrase"},
        )
        assert bad.status_code == 401  # no account was created from the foreign origin


def test_backend_restart_keeps_the_reader_logged_in(backend, site_page):
    page = site_page
    sign_up(page)
    add_book(page, "Survives Restarts")
    backend.stop()
    backend.start()
    page.goto("/library")
    expect(page.get_by_role("link", name="Survives Restarts")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r".*/library$"))


def test_database_outage_shows_an_error_and_recovers(private_postgres, ports, static_site, site_page, tmp_path):
    flush_redis(12)
    server = Backend(
        ports["backend"], backend_env(private_postgres.url, static_site, 12, ports["backend"]), tmp_path / "outage.log"
    ).start()
    try:
        page = site_page
        sign_up(page)
        add_book(page, "Before The Outage")

        private_postgres.stop()
        page.goto("/books/add")
        page.fill("#title", "During The Outage")
        page.click("#add-book-submit")
        # The page's own on_load check may already have hit the outage and said so: one toast or two.
        expect(page.get_by_text("We can't reach the database right now").last).to_be_visible(timeout=10_000)
        expect(page.locator("#title")).to_have_value("During The Outage")  # nothing typed is lost

        private_postgres.start()
        page.click("#add-book-submit")
        page.wait_for_url(BOOK_URL, timeout=30_000)
        page.goto("/library")
        expect(page.locator("#library-range")).to_have_text("2 books")
        expect(page.get_by_role("link", name="Before The Outage")).to_be_visible()
    finally:
        server.stop()


def _private_image_is_refused_to_a_stranger(base: str) -> str:
    """Ann's private post's image: her link serves it (cacheable only by her
    browser), Bob gets no post and no link, a link re-signed for him or for a
    visitor is refused. Returns the URL Ann was given."""
    with httpx.Client(base_url=base, timeout=30) as client:
        tokens = []
        for name in ("ann", "bob"):
            made = client.post(
                "/api/v1/auth/signup",
                json={
                    "email": f"{name}-{uuid.uuid4().hex[:8]}@example.com",
                    "name": name,
                    "password": "a long passphrase",
                },
            )
            assert made.status_code == 201, made.text
            tokens.append({"Authorization": f"Bearer {made.json()['access_token']}"})
        ann, bob = tokens
        post = client.post(
            "/api/v1/posts",
            headers=ann,
            data={"text": "just for me", "is_public": "false"},
            files={"image": ("p.png", png(), "image/png")},
        ).json()
        assert client.get(f"/api/v1/posts/{post['id']}", headers=bob).status_code == 404
        assert client.get(f"/api/v1/posts/{post['id']}").status_code == 404
        url = post["image_url"]
        if url.startswith("/"):  # local: this backend's signed media route, any worker
            for _ in range(4):
                mine = httpx.get(base + url, timeout=10)
                assert mine.status_code == 200 and mine.headers["cache-control"].startswith("private, max-age=")
            bob_id = client.get("/api/v1/me", headers=bob).json()["id"]
            for viewer in (bob_id, 0):
                forged = re.sub(r"v=\d+", f"v={viewer}", url)
                assert httpx.get(base + forged, timeout=10).status_code == 403
            assert httpx.get(f"{base}/_upload/notes/{url.split('/')[5].split('?')[0]}", timeout=10).status_code == 404
        else:
            assert httpx.get(url, timeout=10).status_code == 200
        return url


def test_private_images_are_refused_to_strangers_through_both_storages(private_postgres, tmp_path):
    """gunicorn x2 in production mode: local storage, then Cloudinary (the real
    SDK against the local server that checks signatures and expiry)."""
    port = free_port()
    env = backend_env(private_postgres.url, {"url": "http://127.0.0.1:9"}, 13, port)
    env.setdefault("SMTP_URL", "smtp://127.0.0.1:25")  # production requires one; nothing is mailed here
    flush_redis(13)
    server = Backend(port, env, tmp_path / "local.log").start()
    try:
        _private_image_is_refused_to_a_stranger(server.url)
    finally:
        server.stop()
    with FakeCloudinary(cloud_name="demo", api_key="1234", api_secret="s3cr3t") as cloud:
        cloud_env = dict(
            env,
            CLOUDINARY_CLOUD_NAME="demo",
            CLOUDINARY_API_KEY="1234",
            CLOUDINARY_API_SECRET="s3cr3t",
            CLOUDINARY_UPLOAD_PREFIX=cloud.upload_prefix,
        )
        server = Backend(port, cloud_env, tmp_path / "cloud.log").start()
        try:
            link = _private_image_is_refused_to_a_stranger(server.url)
            (public_id,) = cloud.stored
            assert cloud.types[public_id] == "authenticated"
            unsigned = f"https://res.cloudinary.com/demo/image/upload/v1/{public_id}.webp"
            assert httpx.get(cloud.public_path(unsigned), timeout=10).status_code == 404
            assert httpx.get(link.replace("expires_at=", "expires_at=9"), timeout=10).status_code == 401
        finally:
            server.stop()
