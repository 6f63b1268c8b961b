"""Image checks (Pillow) and both storage back-ends, Cloudinary through its
real SDK against a local server that verifies request signatures."""

import io
import time

import httpx
import pytest
from PIL import Image

from booktracker.errors import InvalidInput
from booktracker.services import images, storage
from tests.support.fake_cloudinary import FakeCloudinary
from tests.support.images import jpeg_with_gps, png, png_bomb


def test_jpeg_is_reencoded_without_gps_exif():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(0x8825)  # the test image really has GPS
    clean = images.clean_image(jpeg_with_gps())
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "WEBP" and clean.content_type == "image/webp"
    assert not stored.getexif() and "exif" not in stored.info
    assert (clean.width, clean.height) == (64, 48)


def test_png_with_alpha_keeps_transparency():
    clean = images.clean_image(png())
    assert Image.open(io.BytesIO(clean.data)).mode == "RGBA"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"<html><script>alert(1)</script></html>", "not a readable"),
        (b"GIF89a" + b"\x00" * 100, "not a readable"),
        (b"", "empty"),
        (b"\xff" * (images.MAX_IMAGE_BYTES + 1), "at most 5 MB"),
    ],
)
def test_refusals_have_clear_messages(data, message):
    with pytest.raises(InvalidInput, match=message):
        images.clean_image(data)


def test_gif_is_refused_even_when_valid():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="GIF")
    with pytest.raises(InvalidInput, match="Only JPEG, PNG and WebP"):
        images.clean_image(out.getvalue())


def test_decompression_bomb_is_refused():
    bomb = png_bomb()
    assert len(bomb) < images.MAX_IMAGE_BYTES
    with pytest.raises(InvalidInput, match="25 megapixels"):
        images.clean_image(bomb)


def test_declared_size_checked_before_reading():
    images.check_declared_size(1000)
    with pytest.raises(InvalidInput):
        images.check_declared_size(images.MAX_IMAGE_BYTES + 1)


def test_local_store_saves_and_deletes(tmp_path):
    store = storage.LocalImageStore(tmp_path)
    stored = store.save(images.clean_image(png()))
    assert stored.url == "" and stored.key.startswith("local:notes/")
    path = tmp_path / stored.local_path
    assert path.exists()
    store.delete(stored.key)
    assert not path.exists()
    # A crafted key cannot reach outside the upload directory.
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("keep me")
    store.delete("local:../outside.txt")
    assert outside.exists()


@pytest.fixture
def cloud():
    with FakeCloudinary(cloud_name="demo", api_key="1234", api_secret="s3cr3t") as fake:
        yield fake


def cloud_store(cloud, secret="s3cr3t"):
    return storage.CloudinaryImageStore(
        cloud_name="demo", api_key="1234", api_secret=secret, upload_prefix=cloud.upload_prefix
    )


def test_cloudinary_signed_upload_and_destroy(cloud):
    store = cloud_store(cloud)
    stored = store.save(images.clean_image(jpeg_with_gps()))
    assert stored.url.startswith("https://res.cloudinary.com/demo/")
    public_id = stored.key.removeprefix("cloudinary:")
    assert public_id.startswith("book_tracker/notes/")
    path, params = cloud.requests[-1]
    assert path == "/v1_1/demo/image/upload" and params["folder"] == "book_tracker/notes"
    assert Image.open(io.BytesIO(cloud.stored[public_id])).format == "WEBP"
    store.delete(stored.key)
    assert public_id not in cloud.stored


def test_cloudinary_bad_signature_is_an_error(cloud):
    with pytest.raises(storage.StorageUnavailable):
        cloud_store(cloud, secret="wrong").save(images.clean_image(png()))
    assert cloud.stored == {}


def test_cloudinary_outage_is_a_clear_error(cloud):
    cloud.fail_uploads = True
    with pytest.raises(storage.StorageUnavailable, match="not lost"):
        cloud_store(cloud).save(images.clean_image(png()))


# ---------------------------------------------------------------- private images


def test_local_private_images_live_outside_the_served_folder(tmp_path):
    public = tmp_path / "uploads"
    store = storage.LocalImageStore(public)
    stored = store.save(images.clean_image(png()), private=True)
    assert stored.private and stored.url == "" and stored.local_path == ""  # no /_upload/ path to give out
    assert not list(public.rglob("*.webp"))  # Reflex serves everything under the upload dir
    path = store.open_file(stored.key)
    assert path is not None and public.resolve() not in path.parents


def test_local_images_move_between_public_and_private(tmp_path):
    store = storage.LocalImageStore(tmp_path / "uploads")
    public = store.save(images.clean_image(png()))
    served = tmp_path / "uploads" / public.local_path
    private = store.set_private(public, True)
    assert private.private and not served.exists()  # the old /_upload/ URL stops working
    assert store.open_file(private.key) is not None
    again = store.set_private(private, False)
    assert again == public and served.exists() and store.open_file(private.key) is None
    store.delete(store.set_private(again, True).key)
    assert not list(tmp_path.rglob("*.webp"))


def test_a_crafted_private_key_reaches_nothing(tmp_path):
    store = storage.LocalImageStore(tmp_path / "uploads")
    secret = tmp_path / "secret.webp"
    secret.write_bytes(b"keep me")
    assert store.open_file("local-private:../../secret.webp") is None
    store.delete("local-private:../../secret.webp")
    assert secret.exists()


def test_media_links_are_refused_when_altered_or_expired():
    expires = storage.link_expiry()
    link = storage.media_link(7, "local-private:notes/abc.webp", 3, expires)
    signature = link.rsplit("sig=", 1)[1]
    assert link.startswith(f"{storage.MEDIA_PATH}/7/abc.webp?v=3&exp={expires}&sig=")
    assert storage.check_media_link(7, "abc.webp", 3, expires, signature) == 3
    for altered in [(8, "abc.webp", 3, expires), (7, "abd.webp", 3, expires), (7, "abc.webp", 4, expires)]:
        with pytest.raises(storage.LinkRefused, match="reload the page"):
            storage.check_media_link(*altered, signature)
    with pytest.raises(storage.LinkRefused):
        storage.check_media_link(7, "abc.webp", 3, expires + 3600, signature)
    with pytest.raises(storage.LinkRefused):  # found by the API fuzz test: a 500 before
        storage.check_media_link(7, "abc.webp", 3, expires, "\x80")
    past = int(time.time()) - 1
    old = storage.media_link(7, "local-private:notes/abc.webp", 3, past).rsplit("sig=", 1)[1]
    with pytest.raises(storage.LinkRefused):
        storage.check_media_link(7, "abc.webp", 3, past, old)


def test_links_last_one_to_two_whole_hours():
    assert storage.link_expiry(7200.0) == 10800 and storage.link_expiry(7201.0) == 14400


def test_cloudinary_private_images_are_authenticated_with_expiring_signed_links(cloud):
    store = cloud_store(cloud)
    stored = store.save(images.clean_image(png()), private=True)
    public_id = stored.key.removeprefix("cloudinary-private:")
    assert stored.private and stored.url == ""
    assert cloud.requests[-1][1]["type"] == "authenticated" and cloud.types[public_id] == "authenticated"
    # Nothing at the public delivery URL; the signed download link works until it expires.
    public_url = f"https://res.cloudinary.com/demo/image/upload/v1/{public_id}.webp"
    assert httpx.get(cloud.public_path(public_url)).status_code == 404
    link = store.private_link(stored.key, storage.link_expiry())
    assert link.startswith(cloud.upload_prefix + "/v1_1/demo/image/download?")
    fetched = httpx.get(link)
    assert fetched.status_code == 200 and fetched.content == cloud.stored[public_id]
    assert httpx.get(store.private_link(stored.key, int(time.time()) - 1)).status_code == 401  # expired
    tampered = link.replace("expires_at=", "expires_at=9")  # a later expiry, same signature
    assert httpx.get(tampered).status_code == 401
    other_secret = cloud_store(cloud, secret="wrong").private_link(stored.key, storage.link_expiry())
    assert httpx.get(other_secret).status_code == 401


def test_cloudinary_images_change_type_and_delete_with_theirs(cloud):
    store = cloud_store(cloud)
    public = store.save(images.clean_image(png()))
    public_id = public.key.removeprefix("cloudinary:")
    assert cloud.types[public_id] == "upload" and httpx.get(cloud.public_path(public.url)).status_code == 200
    private = store.set_private(public, True)
    path, params = cloud.requests[-1]
    assert path.endswith("/rename") and params["to_type"] == "authenticated" and params["invalidate"]
    assert httpx.get(cloud.public_path(public.url)).status_code == 404  # the old public URL is dead
    assert httpx.get(store.private_link(private.key, storage.link_expiry())).status_code == 200
    again = store.set_private(private, False)
    assert again == public and httpx.get(cloud.public_path(public.url)).status_code == 200
    private = store.set_private(again, True)
    store.delete(private.key)
    assert cloud.requests[-1][1]["type"] == "authenticated" and cloud.stored == {}
