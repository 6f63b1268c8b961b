"""PUT/DELETE /api/v1/me/avatar: the post images' pipeline, two square crops,
the error contract, and the picture in /me, posts and profiles."""

import io

import httpx
from PIL import Image

from tests.support.images import jpeg_with_gps, png

API = "/api/v1"


def _put(client, headers, name, data, content_type):
    return client.put(f"{API}/me/avatar", headers=headers, files={"image": (name, data, content_type)})


def test_upload_replace_and_remove_on_cloudinary(client, ann, bob, cloud):
    response = _put(client, ann, "me.jpg", jpeg_with_gps((300, 200)), "image/jpeg")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["avatar_url"].startswith("https://res.cloudinary.com/demo/") and body["avatar_small_url"]
    stored = httpx.get(cloud.public_path(body["avatar_small_url"]))
    image = Image.open(io.BytesIO(stored.content))
    assert image.size == (64, 64) and image.format == "WEBP" and not image.getexif()
    assert client.get(f"{API}/me", headers=ann).json()["avatar_url"] == body["avatar_url"]

    client.post(f"{API}/posts", headers=ann, data={"text": "with a face"})
    feed = client.get(f"{API}/feed", headers=bob).json()["posts"]
    assert feed[0]["author_avatar_url"] == body["avatar_small_url"]

    again = _put(client, ann, "me.png", png((40, 90)), "image/png").json()
    assert len(cloud.stored) == 2 and again["avatar_url"] != body["avatar_url"]
    assert client.delete(f"{API}/me/avatar", headers=ann).status_code == 204
    assert cloud.stored == {}
    assert client.get(f"{API}/me", headers=ann).json()["avatar_url"] == ""


def test_refused_images_follow_the_error_contract(client, ann):
    response = _put(client, ann, "cat.jpg", b"not an image", "image/jpeg")
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "That file is not a readable JPEG, PNG or WebP image.",
        "field": "image",
    }
    assert client.get(f"{API}/me", headers=ann).json()["avatar_url"] == ""
    assert _put(client, {}, "me.jpg", jpeg_with_gps(), "image/jpeg").status_code == 401
    assert client.delete(f"{API}/me/avatar").status_code == 401


def test_local_avatar_is_served_from_the_upload_folder(client, ann):
    body = _put(client, ann, "me.jpg", jpeg_with_gps(), "image/jpeg").json()
    assert body["avatar_url"].startswith("/_upload/") and body["avatar_small_url"].startswith("/_upload/")


async def test_an_oversized_avatar_body_is_refused_before_the_handler():
    """The server-side upload limit (asgi.py) covers PUT /me/avatar like other image uploads."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from booktracker.asgi import AVATAR_API_PATH, MAX_UPLOAD_BODY, limit_upload_size

    reached = []

    async def handler(request):
        reached.append(len(await request.body()))
        return JSONResponse({})

    app = limit_upload_size(Starlette(routes=[Route(AVATAR_API_PATH, handler, methods=["PUT"])]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        refused = await client.put(AVATAR_API_PATH, content=b"x" * (MAX_UPLOAD_BODY + 1))
        passed = await client.put(AVATAR_API_PATH, content=b"x" * 100)
    assert refused.status_code == 413 and refused.json()["error"]["field"] == "image"
    assert passed.status_code == 200 and reached == [100]
