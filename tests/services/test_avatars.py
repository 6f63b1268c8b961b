"""Avatars through the post images' pipeline: checked, metadata dropped, the
centred square at 256 and 64 px, stored locally or on Cloudinary (the local
fake server), old files deleted on replace, remove and account deletion;
shown in the feed, comments, profiles and people search at no extra statement."""

import io

import pytest
from PIL import Image

from booktracker.errors import InvalidInput
from booktracker.models import User
from booktracker.services import auth, avatars, posts, social, storage
from booktracker.settings import settings
from tests.support.fake_cloudinary import FakeCloudinary
from tests.support.images import jpeg_with_gps


@pytest.fixture
def cloud(monkeypatch):
    """Cloudinary as the image store (a local server that checks signatures)."""
    with FakeCloudinary(cloud_name="demo", api_key="1234", api_secret="s3cr3t") as fake:
        store = storage.CloudinaryImageStore(
            cloud_name="demo", api_key="1234", api_secret="s3cr3t", upload_prefix=fake.upload_prefix
        )
        monkeypatch.setattr(storage, "get_store", lambda: store)
        yield fake


def _local_file(url: str):
    assert url.startswith(avatars.UPLOAD_URL_PREFIX)
    return settings.upload_dir / url.removeprefix(avatars.UPLOAD_URL_PREFIX)


def test_local_avatar_is_cleaned_cropped_at_two_sizes_and_replaced(session, ann):
    first = avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps((320, 240)))
    files = [_local_file(first.url), _local_file(first.small_url)]
    for path, side in zip(files, avatars.SIZES, strict=True):
        image = Image.open(io.BytesIO(path.read_bytes()))
        assert image.format == "WEBP" and image.size == (side, side) and not image.getexif()
    session.refresh(ann)
    assert (ann.avatar_url, ann.avatar_small_url) == (first.url, first.small_url)
    assert len(avatars.keys(ann.avatar_key)) == 2

    second = avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps((100, 300)))
    assert not any(path.exists() for path in files)  # the old pair is gone
    assert _local_file(second.url).exists()
    avatars.remove_avatar(session=session, user_id=ann.id)
    session.refresh(ann)
    assert (ann.avatar_url, ann.avatar_small_url, ann.avatar_key) == ("", "", "")
    assert not _local_file(second.url).exists() and not _local_file(second.small_url).exists()


@pytest.mark.parametrize("data", [b"not an image", b"", b"GIF89a" + b"\0" * 40])
def test_a_refused_file_stores_nothing_and_keeps_the_old_avatar(session, ann, data):
    kept = avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps())
    before = set(settings.upload_dir.rglob("*.webp"))
    with pytest.raises(InvalidInput) as caught:
        avatars.set_avatar(session=session, user_id=ann.id, data=data)
    assert caught.value.field == "image"
    assert set(settings.upload_dir.rglob("*.webp")) == before
    assert avatars.current(session=session, user_id=ann.id) == kept


def test_cloudinary_avatar_replaced_and_deleted_with_the_account(session, ann, cloud):
    first = avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps((300, 200)))
    assert first.url.startswith("https://res.cloudinary.com/demo/") and len(cloud.stored) == 2
    avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps())
    assert len(cloud.stored) == 2  # the first pair was destroyed
    auth.delete_account(session=session, user_id=ann.id, password="password 123")
    assert cloud.stored == {}


def test_cloudinary_failure_leaves_the_old_avatar(session, ann, cloud):
    kept = avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps())
    cloud.fail_uploads = True
    with pytest.raises(storage.StorageUnavailable):
        avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps())
    assert avatars.current(session=session, user_id=ann.id) == kept and len(cloud.stored) == 2


def test_avatars_are_shown_wherever_the_name_is_at_no_extra_statement(session, ann, bob, count_statements):
    mine = posts.create_post(session=session, user_id=ann.id, data=posts.PostInput(text="hello"))
    posts.add_comment(session=session, user_id=ann.id, post_id=mine.id, text="me")
    with count_statements() as counter:
        posts.feed(session=session, viewer_id=bob.id)
    without = counter.count
    shown = avatars.set_avatar(session=session, user_id=ann.id, data=jpeg_with_gps())
    with count_statements() as counter:
        page = posts.feed(session=session, viewer_id=bob.id)
    assert counter.count == without == 2  # the ids, the cards
    assert page.posts[0].author_avatar_url == shown.small_url
    assert posts.feed(session=session, viewer_id=None).posts[0].author_avatar_url == ""  # visitors: anonymised
    comments = posts.list_comments(session=session, viewer_id=bob.id, post_id=mine.id)
    assert comments[0].author_avatar_url == shown.small_url
    assert social.profile(session=session, viewer_id=bob.id, username=ann.username).avatar_url == shown.url
    found = social.search_people(session=session, viewer_id=bob.id, text="Ann")
    assert [p.avatar_url for p in found] == [shown.small_url]
    assert session.get(User, ann.id).avatar_small_url == shown.small_url
