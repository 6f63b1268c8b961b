"""The feed's composer (pages/feed.py FeedState.submit_post) over the one
publishing use case: it reads the upload and passes bytes, the post is
checked before its image is stored, a failure after storing leaves no image
behind, the button never stays spinning, and the live feed hears of the post
once, with this tab as its origin."""

import io

import pytest
import reflex as rx

from booktracker.services import events, storage
from booktracker.settings import settings
from tests.states.helpers import run, sub, toasts
from tests.support.images import jpeg_with_gps


@pytest.fixture
def composer(signed_up):
    from booktracker.pages.feed import FeedState

    state = sub(signed_up, FeedState)
    state.composer_text = "A line worth keeping"
    return state


@pytest.fixture
def published():
    seen: list[events.PostPublished] = []
    events.subscribe(seen.append)
    yield seen
    events.unsubscribe(seen.append)


@pytest.fixture
def saves(monkeypatch):
    """How many images reached the store (which still stores them on disk)."""
    saved = []
    real_get_store = storage.get_store

    class Recording:
        def __init__(self):
            self.store = real_get_store()

        def save(self, image, *, private=False):
            saved.append(image)
            return self.store.save(image, private=private)

        def delete(self, key):
            self.store.delete(key)

    monkeypatch.setattr(storage, "get_store", Recording)
    return saved


def photo() -> rx.UploadFile:
    data = jpeg_with_gps()
    return rx.UploadFile(file=io.BytesIO(data), size=len(data))


def local_files() -> set[str]:
    root = settings.upload_dir
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_posting_with_a_photo_publishes_once_with_this_tab_as_the_origin(composer, published):
    result = run(composer.submit_post([photo()]))
    assert [level for level, _ in toasts(result)] == ["success"]
    assert not composer.posting and composer.composer_text == "" and composer.composer_error == ""
    [view] = composer.posts
    assert view.text == "A line worth keeping" and view.image_path in local_files()
    assert published == [
        events.PostPublished(
            post_id=view.id,
            author_id=composer.current_user_id(),
            is_public=True,
            origin=composer.router.session.client_token,
        )
    ]


def test_an_invalid_post_with_a_photo_stores_nothing_and_keeps_the_composer(composer, saves, published):
    composer.composer_emotion = "not an emoji"
    before = local_files()
    assert run(composer.submit_post([photo()])) is None
    assert composer.composer_error == "The emotion must be a single emoji."
    assert not composer.posting and composer.composer_text == "A line worth keeping"
    assert saves == [] and local_files() == before and published == []  # the photo was never stored


def test_a_bug_after_the_photo_was_stored_leaves_no_image_and_no_spinner(composer, saves, published, monkeypatch):
    from booktracker.services.posts import writing

    def broken_insert(*args, **kwargs):
        raise RuntimeError("a bug in the insert")

    monkeypatch.setattr(writing, "_insert", broken_insert)
    before = local_files()
    result = run(composer.submit_post([photo()]))
    assert [level for level, _ in toasts(result)] == ["error"]
    assert len(saves) == 1 and local_files() == before  # stored, then deleted again
    assert not composer.posting and composer.composer_text == "A line worth keeping" and published == []


def test_after_a_private_post_the_composer_is_public_again(composer):
    composer.set_composer_public(False)
    run(composer.submit_post([]))
    [view] = composer.posts
    assert not view.is_public and composer.composer_public


def test_changing_a_field_clears_the_composer_error(composer):
    composer.composer_page = "twelve"
    run(composer.submit_post([]))
    assert composer.composer_error == "Page must be a whole number."
    composer.set_composer_page("12")
    assert composer.composer_error == ""
    for change in (
        lambda: composer.set_composer_text("Another line"),
        lambda: composer.set_composer_quote("A quote"),
        lambda: composer.set_composer_book("none"),
        lambda: composer.set_composer_chapter("II"),
        lambda: composer.set_composer_emotion("📖"),
    ):
        composer.composer_error = "Something was wrong."
        change()
        assert composer.composer_error == ""


REFUSED = "Images must be JPEG, PNG or WebP, at most 5 MB."


def test_a_refused_image_is_said_in_the_composer_and_post_never_drops_it(composer, published):
    # What react-dropzone passes on_drop_rejected for an SVG (and clears the selection: Post sends no file).
    run(composer.reject_image([{"file": {"path": "drawing.svg"}, "errors": [{"code": "file-invalid-type"}]}]))
    assert composer.composer_error == REFUSED
    composer.set_composer_text("Still typing")
    assert composer.composer_error == REFUSED  # the refused image still stands
    assert run(composer.submit_post([])) is None
    assert composer.composer_error == REFUSED and composer.posts == [] and published == []
    # Removing the image lets the text be posted on its own.
    run(composer.remove_image())
    assert composer.composer_error == ""
    run(composer.submit_post([]))
    assert [view.text for view in composer.posts] == ["Still typing"]


def test_choosing_an_accepted_image_after_a_refused_one_posts_it(composer):
    run(composer.reject_image([{"file": {"path": "huge.jpg"}, "errors": [{"code": "file-too-large"}]}]))
    result = run(composer.submit_post([photo()]))
    assert [level for level, _ in toasts(result)] == ["success"]
    assert composer.composer_error == "" and not composer.image_rejected
    [view] = composer.posts
    assert view.image_path
