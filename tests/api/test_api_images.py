"""Images of posts others may not see stay private: local files through the
signed, expiring /api/v1/media link, Cloudinary assets as authenticated ones
with signed download links (the real SDK against the local fake server)."""

import io
import re
import time

import httpx
from PIL import Image

from booktracker.services import storage
from booktracker.services.posts import media
from booktracker.settings import settings
from tests.support.images import png

MEDIA_LINK = re.compile(r"^/api/v1/media/(\d+)/([\w-]+\.webp)\?v=(\d+)&exp=(\d+)&sig=([0-9a-f]{64})$")


def publish(client, headers, *, is_public: bool) -> dict:
    response = client.post(
        "/api/v1/posts",
        headers=headers,
        data={"text": "look", "is_public": str(is_public).lower()},
        files={"image": ("p.png", png(), "image/png")},
    )
    assert response.status_code == 201, response.text
    return response.json()


def set_public(client, headers, post: dict, is_public: bool) -> dict:
    response = client.patch(
        f"/api/v1/posts/{post['id']}", headers=headers, json={"text": "look", "is_public": is_public}
    )
    assert response.status_code == 200, response.text
    return response.json()


def public_files() -> set[str]:
    """What Reflex serves to anyone at /_upload/."""
    root = settings.upload_dir
    return {str(p.relative_to(root)) for p in root.rglob("*.webp")} if root.exists() else set()


def test_a_private_image_reaches_only_its_author(client, ann, bob):
    before = public_files()
    made = publish(client, ann, is_public=False)
    assert made["image_path"] == "" and public_files() == before  # nothing under /_upload/
    assert MEDIA_LINK.match(made["image_url"])
    fetched = client.get(made["image_url"])
    assert fetched.status_code == 200 and Image.open(io.BytesIO(fetched.content)).format == "WEBP"
    assert fetched.headers["content-type"] == "image/webp"
    cache = fetched.headers["cache-control"]
    assert cache.startswith("private, max-age=") and 3000 < int(cache.rsplit("=", 1)[1]) <= 7200
    # A stranger and a visitor never get a link: the post does not exist for them.
    assert client.get(f"/api/v1/posts/{made['id']}", headers=bob).status_code == 404
    assert client.get(f"/api/v1/posts/{made['id']}").status_code == 404


def test_altered_forged_or_expired_links_are_refused(client, ann, bob):
    made = publish(client, ann, is_public=False)
    post_id, name, viewer, expires, signature = MEDIA_LINK.match(made["image_url"]).groups()
    base = f"/api/v1/media/{post_id}/{name}"
    bob_id = client.get("/api/v1/me", headers=bob).json()["id"]
    refused = [
        f"{base}?v={bob_id}&exp={expires}&sig={signature}",  # someone else's link made theirs
        f"{base}?v=0&exp={expires}&sig={signature}",  # ... or a visitor's
        f"{base}?v={viewer}&exp={int(expires) + 3600}&sig={signature}",  # a later expiry
        f"{base}?v={viewer}&exp={expires}&sig={'0' * 64}",  # a made-up signature
    ]
    past = int(time.time()) - 1
    refused.append(storage.media_link(int(post_id), f"local-private:notes/{name}", int(viewer), past))  # expired
    for link in refused:
        response = client.get(link)
        assert response.status_code == 403, link
        assert response.json()["error"]["message"].startswith("This image link is not valid or has expired")
    assert client.get(f"{base}?v={viewer}&exp={expires}").status_code == 422  # no signature at all
    other = publish(client, ann, is_public=False)
    assert client.get(f"/api/v1/media/{other['id']}/{name}?v={viewer}&exp={expires}&sig={signature}").status_code == 403


def test_making_a_post_private_retires_its_public_url(client, ann, bob):
    made = publish(client, ann, is_public=True)
    assert made["image_url"] == "" and made["image_path"] in public_files()  # public: cacheable at /_upload/
    assert client.get(f"/api/v1/posts/{made['id']}").json()["image_path"] == made["image_path"]

    private = set_public(client, ann, made, False)
    assert made["image_path"] not in public_files()  # the old /_upload/ URL answers 404 now
    assert private["image_path"] == "" and client.get(private["image_url"]).status_code == 200
    assert client.get(f"/api/v1/posts/{made['id']}", headers=bob).status_code == 404

    public = set_public(client, ann, private, True)
    assert public["image_path"] == made["image_path"] in public_files() and public["image_url"] == ""
    # The link given out while it was private now belongs to a public post: still fine to show.
    assert client.get(private["image_url"]).status_code == 200


def test_a_link_stops_working_when_its_reader_may_no_longer_see_the_post(client, session, ann, bob):
    """Public posts of a profile visitors may not see have private images too;
    the route asks the posts service again at every fetch."""
    ann_id, before = client.get("/api/v1/me", headers=ann).json()["id"], public_files()
    assert client.patch("/api/v1/me", headers=ann, json={"profile_visibility": "signed-in"}).status_code == 200
    made = publish(client, ann, is_public=True)
    assert made["image_path"] == "" and public_files() == before  # private from the start
    seen = client.get(f"/api/v1/posts/{made['id']}", headers=bob).json()
    assert MEDIA_LINK.match(seen["image_url"]) and client.get(seen["image_url"]).status_code == 200
    assert client.get(f"/api/v1/posts/{made['id']}").status_code == 404  # visitors: no post, no link

    assert client.patch("/api/v1/me", headers=ann, json={"profile_visibility": "private"}).status_code == 200
    assert client.get(seen["image_url"]).status_code == 404  # bob's link, still signed, no longer opens it
    mine = client.get(f"/api/v1/posts/{made['id']}", headers=ann).json()
    assert client.get(mine["image_url"]).status_code == 200

    assert client.patch("/api/v1/me", headers=ann, json={"profile_visibility": "public"}).status_code == 200
    # Changing the visibility moved the image itself: nothing is left to move.
    assert media.sync_author_images(session=session, user_id=ann_id) == 0
    shown = client.get(f"/api/v1/posts/{made['id']}").json()
    assert shown["image_url"] == "" and shown["image_path"] in public_files()
    assert client.patch("/api/v1/me", headers=ann, json={"profile_visibility": "followers"}).status_code == 200
    assert media.sync_author_images(session=session, user_id=ann_id) == 0
    assert public_files() == before


def test_cloudinary_private_images_need_a_signed_link(client, cloud, ann, bob):
    made = publish(client, ann, is_public=False)
    (public_id,) = cloud.stored
    assert cloud.types[public_id] == "authenticated" and made["image_path"] == ""
    assert made["image_url"].startswith(cloud.upload_prefix + "/v1_1/demo/image/download?")
    assert httpx.get(made["image_url"]).status_code == 200
    unsigned = f"https://res.cloudinary.com/demo/image/upload/v1/{public_id}.webp"
    assert httpx.get(cloud.public_path(unsigned)).status_code == 404
    assert client.get(f"/api/v1/posts/{made['id']}", headers=bob).status_code == 404

    public = set_public(client, ann, made, True)
    assert public["image_url"] == unsigned and cloud.types[public_id] == "upload"
    assert httpx.get(cloud.public_path(unsigned)).status_code == 200  # cacheable CDN URL
    set_public(client, ann, public, False)
    assert httpx.get(cloud.public_path(unsigned)).status_code == 404  # the old public URL is dead
    assert client.delete(f"/api/v1/posts/{made['id']}", headers=ann).status_code == 204
    assert cloud.stored == {} and cloud.requests[-1][1]["type"] == "authenticated"
