"""Publishing (posts.publish, the use case both front ends call) and the stored
images of posts: nothing is stored for a post that cannot exist, nothing is
left behind when publishing fails, and deleting a post, a book or an account
deletes the images too. Over a real database, with the local store on disk
and Cloudinary through its real SDK against a local fake."""

import io

import pytest
from PIL import Image
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from booktracker.errors import InvalidInput, NotFound
from booktracker.models import Post, User
from booktracker.services import events, library, posts, storage
from booktracker.services.books import BookInput
from booktracker.settings import settings
from tests.support.fake_cloudinary import FakeCloudinary
from tests.support.images import jpeg_with_gps, png


@pytest.fixture
def published():
    """Every PostPublished event emitted during the test."""
    seen: list[events.PostPublished] = []
    events.subscribe(seen.append)
    yield seen
    events.unsubscribe(seen.append)


@pytest.fixture
def cloud(monkeypatch):
    """Cloudinary as the image store (a local server that checks signatures)."""
    with FakeCloudinary(cloud_name="demo", api_key="1234", api_secret="s3cr3t") as fake:
        store = storage.CloudinaryImageStore(
            cloud_name="demo", api_key="1234", api_secret="s3cr3t", upload_prefix=fake.upload_prefix
        )
        monkeypatch.setattr(storage, "get_store", lambda: store)
        yield fake


def local_files() -> set[str]:
    root = settings.upload_dir
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def post_count(session) -> int:
    return session.exec(select(func.count()).select_from(Post)).one()


def publish(session, user, text="hello", image=None, **kwargs):
    return posts.publish(session=session, user_id=user.id, data=posts.PostInput(text=text, **kwargs), image=image)


def test_publish_stores_a_cleaned_image_and_tells_listeners_once(session, ann, published):
    view = posts.publish(
        session=session, user_id=ann.id, data=posts.PostInput(text="photo"), image=jpeg_with_gps(), origin="tab-1"
    )
    stored = settings.upload_dir / view.image_path
    image = Image.open(io.BytesIO(stored.read_bytes()))
    assert image.format == "WEBP" and not image.getexif()  # re-encoded, GPS gone
    assert view.text == "photo" and view.is_mine and view.image_url == ""
    assert published == [events.PostPublished(post_id=view.id, author_id=ann.id, is_public=True, origin="tab-1")]

    private = publish(session, ann, "to myself", is_public=False)
    assert published[1:] == [events.PostPublished(post_id=private.id, author_id=ann.id, is_public=False)]


def test_an_image_alone_is_a_post(session, ann):
    view = publish(session, ann, text="", image=png())
    assert view.text == "" and view.image_path in local_files()


BAD_POSTS = [
    pytest.param({"emotion": "abc"}, InvalidInput, id="emotion"),
    pytest.param({"chapter": "c" * 101}, InvalidInput, id="chapter"),
    pytest.param({"text": "x" * (posts.TEXT_MAX + 1)}, InvalidInput, id="text"),
    pytest.param({"user_book_id": 999_999}, NotFound, id="not-my-book"),
]


@pytest.mark.parametrize("bad, error", BAD_POSTS)
def test_an_invalid_post_with_a_valid_image_stores_nothing_locally(session, ann, published, bad, error):
    before = local_files()
    with pytest.raises(error):
        publish(session, ann, image=jpeg_with_gps(), **{"text": "hello", **bad})
    assert local_files() == before and post_count(session) == 0 and published == []


@pytest.mark.parametrize("bad, error", BAD_POSTS)
def test_an_invalid_post_with_a_valid_image_never_reaches_cloudinary(session, ann, cloud, bad, error):
    with pytest.raises(error):
        publish(session, ann, image=jpeg_with_gps(), **{"text": "hello", **bad})
    assert cloud.requests == []  # not uploaded then deleted: never uploaded


def test_a_bad_image_stores_nothing_and_publishes_nothing(session, ann, cloud, published):
    with pytest.raises(InvalidInput) as caught:
        publish(session, ann, image=b"not an image")
    assert caught.value.field == "image"
    assert cloud.requests == [] and post_count(session) == 0 and published == []


def test_a_storage_outage_publishes_nothing(session, ann, cloud, published):
    cloud.fail_uploads = True
    with pytest.raises(storage.StorageUnavailable):
        publish(session, ann, image=png())
    assert cloud.stored == {} and post_count(session) == 0 and published == []


def test_a_database_failure_after_storing_deletes_the_image(session, cloud, published):
    # No such reader: the insert breaks the foreign key, after the upload.
    nobody = User(id=999_999, email="x@example.com", username="x", name="X", password_hash="")
    with pytest.raises(IntegrityError):
        publish(session, nobody, image=png())
    session.rollback()
    uploads = [path for path, _params in cloud.requests if path.endswith("/upload")]
    assert len(uploads) == 1 and cloud.stored == {}  # it was uploaded, then deleted
    assert post_count(session) == 0 and published == []


def test_any_failure_after_storing_deletes_the_image(session, ann, monkeypatch, published):
    """Not only service or database errors: whatever breaks the insert."""
    before = local_files()

    def broken_commit():
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        publish(session, ann, image=png())
    monkeypatch.undo()
    session.rollback()
    assert local_files() == before and post_count(session) == 0 and published == []


def test_deleting_a_post_deletes_its_image_only(session, ann):
    gone = publish(session, ann, "bye", image=png())
    kept = publish(session, ann, "stay", image=png())
    assert {gone.image_path, kept.image_path} <= local_files()
    assert posts.delete_post(session=session, user_id=ann.id, post_id=gone.id) is None
    assert gone.image_path not in local_files() and kept.image_path in local_files()


def test_deleting_a_post_deletes_its_cloudinary_image(session, ann, cloud):
    view = publish(session, ann, image=png())
    assert view.image_url.startswith("https://res.cloudinary.com/demo/") and len(cloud.stored) == 1
    posts.delete_post(session=session, user_id=ann.id, post_id=view.id)
    assert cloud.stored == {}


def test_removing_a_book_deletes_its_posts_images_only(session, ann):
    def entry(title):
        return library.add_to_library(session=session, user_id=ann.id, book=BookInput(title=title)).user_book

    dune, emma = entry("Dune"), entry("Emma")
    gone = publish(session, ann, image=png(), user_book_id=dune.id)
    kept = publish(session, ann, image=png(), user_book_id=emma.id)
    assert library.remove_from_library(session=session, user_id=ann.id, user_book_id=dune.id) is None
    assert gone.image_path not in local_files() and kept.image_path in local_files()


def test_a_failed_image_delete_is_logged_not_raised(session, ann, cloud, monkeypatch, caplog):
    """The post is gone either way: a storage outage must not undo the reader's delete."""
    view = publish(session, ann, image=png())

    def outage(self, key):
        raise storage.StorageUnavailable("Cloudinary is down")

    monkeypatch.setattr(storage.CloudinaryImageStore, "delete", outage)
    posts.delete_post(session=session, user_id=ann.id, post_id=view.id)
    assert post_count(session) == 0
    assert "could not delete stored image" in caplog.text
