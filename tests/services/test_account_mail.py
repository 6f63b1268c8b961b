"""The account emails link to the pages that open them."""

from booktracker import routes
from booktracker.services import account_mail


def test_links_use_the_pages_paths():
    # Services do not import the web layer, so the paths are spelled twice; they must agree.
    assert account_mail.RESET_PATH == routes.RESET_PASSWORD
    assert account_mail.VERIFY_PATH == routes.VERIFY_EMAIL


def test_html_part_escapes_what_the_reader_typed():
    message = account_mail.verify_address("a@example.com", "<b>Ann</b>", "tok")
    assert "&lt;b&gt;Ann&lt;/b&gt;" in message.html and "<b>Ann</b>" in message.text
    assert message.text.count("/verify-email?token=tok") == 1
