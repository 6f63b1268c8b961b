"""Image checks (Pillow) and both storage back-ends, Cloudinary through its
real SDK against a local server that verifies request signatures."""

import io

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
