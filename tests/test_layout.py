"""The page frame (components/layout.py): the account menu reaches every main page."""

from booktracker import routes


def _walk(component):
    yield component
    for child in getattr(component, "children", []):
        yield from _walk(child)


def test_the_account_menu_has_the_feed_with_the_other_pages():
    from booktracker.components.layout import user_menu

    items = [c for c in _walk(user_menu()) if type(c).__name__ == "DropdownMenuItem"]
    labels = [str(item.children[0]) for item in items]
    assert labels[:3] == ['"Feed"', '"My profile"', '"Library"']
    feed = str(items[0].event_triggers["on_click"])
    assert f'"{routes.HOME}"' in feed
