"""Password change, log out everywhere and account deletion."""

import pytest
from sqlmodel import func, select

from booktracker.errors import AuthenticationFailed, InvalidInput
from booktracker.models import Book, Comment, Follow, Like, Post, ReadingProgress, User, UserBook
from booktracker.services import auth, library, posts
from booktracker.services.books import BookInput
from booktracker.settings import settings

PASSWORD = "old password 123"


def make_user(session, email):
    return auth.signup(session=session, email=email, name=email.split("@")[0], password=PASSWORD)


def stored_file(relative):
    path = settings.upload_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"image")
    return path


def count(session, model, *where):
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_change_password_revokes_old_tokens(session):
    user = make_user(session, "ann@example.com")
    old_token = auth.issue_token(user)
    with pytest.raises(AuthenticationFailed):
        auth.change_password(
            session=session, user_id=user.id, current_password="nope nope", new_password="new password 456"
        )
    with pytest.raises(InvalidInput):
        auth.change_password(session=session, user_id=user.id, current_password=PASSWORD, new_password="short")
    updated = auth.change_password(
        session=session, user_id=user.id, current_password=PASSWORD, new_password="new password 456"
    )
    with pytest.raises(AuthenticationFailed):
        auth.check_token(session=session, token=old_token)
    assert auth.check_token(session=session, token=auth.issue_token(updated)).user.id == user.id
    assert auth.authenticate(session=session, email="ann@example.com", password="new password 456").id == user.id
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(session=session, email="ann@example.com", password=PASSWORD)


def test_delete_account_removes_everything_of_the_user_only(session):
    ann = make_user(session, "ann@example.com")
    bob = make_user(session, "bob@example.com")
    entry = library.add_to_library(
        session=session, user_id=ann.id, book=BookInput(title="Dune", total_pages=400)
    ).user_book
    library.update_progress(session=session, user_id=ann.id, user_book_id=entry.id, current_page=10)
    bob_entry = library.add_to_library(
        session=session, user_id=bob.id, book=BookInput(title="Dune", total_pages=400)
    ).user_book
    ann_note = Post(user_id=ann.id, user_book_id=entry.id, book_id=entry.book_id, text="mine", image_key="notes/a.webp")
    bob_note = Post(user_id=bob.id, text="bob's", image_key="local:notes/b.webp")
    ann_image, bob_image = stored_file("notes/a.webp"), stored_file("notes/b.webp")
    session.add_all([ann_note, bob_note])
    session.commit()
    session.add_all(
        [
            Like(user_id=bob.id, note_id=ann_note.id),
            Comment(note_id=bob_note.id, user_id=ann.id, text="hi"),
            Comment(note_id=bob_note.id, user_id=bob.id, text="hello"),
            Follow(follower_id=ann.id, followee_id=bob.id),
            Follow(follower_id=bob.id, followee_id=ann.id),
        ]
    )
    session.commit()
    posts.like(session=session, user_id=ann.id, post_id=bob_note.id)

    with pytest.raises(AuthenticationFailed):
        auth.delete_account(session=session, user_id=ann.id, password="wrong password")
    assert ann_image.exists()  # a wrong password deletes nothing
    assert auth.delete_account(session=session, user_id=ann.id, password=PASSWORD) is None
    assert not ann_image.exists() and bob_image.exists()  # her post's image went with her, only hers

    assert session.get(User, ann.id) is None
    assert count(session, UserBook, UserBook.user_id == ann.id) == 0
    assert count(session, ReadingProgress, ReadingProgress.user_id == ann.id) == 0
    assert count(session, Post, Post.user_id == ann.id) == 0
    assert count(session, Like) == 0
    session.refresh(bob_note)
    assert bob_note.like_count == 0  # Ann's like left Bob's count with her
    assert count(session, Comment) == 1 and count(session, Follow) == 0
    # Bob keeps his things, and the shared catalogue keeps the book.
    assert session.get(UserBook, bob_entry.id) is not None
    assert count(session, Post, Post.user_id == bob.id) == 1
    assert count(session, Book) == 1
