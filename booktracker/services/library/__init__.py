"""A reader's personal library: adding books, progress, status and filters.

``listing`` shows the library (shelves, filters, sorting, pages); ``entries``
changes one book in it. Callers use ``library.<name>`` from here.
"""

from booktracker.services.library.entries import (
    KEEP,
    PERSON_MAX,
    PRIVATE_NOTES_MAX,
    RATINGS,
    AddResult,
    DetailsUpdate,
    EntryChanges,
    add_to_library,
    apply_status,
    get_detail,
    remove_from_library,
    set_status,
    update_details,
    update_entry,
    update_progress,
    validate_rating,
)
from booktracker.services.library.listing import (
    ALL_TAB,
    PER_PAGE,
    SEARCH_MAX,
    SORTS,
    TABS,
    LibraryPage,
    LibraryQuery,
    list_library,
    percent_read,
    shelf_titles,
    to_library_item,
)

__all__ = [
    "ALL_TAB",
    "KEEP",
    "PERSON_MAX",
    "PER_PAGE",
    "PRIVATE_NOTES_MAX",
    "RATINGS",
    "SEARCH_MAX",
    "SORTS",
    "TABS",
    "AddResult",
    "DetailsUpdate",
    "EntryChanges",
    "LibraryPage",
    "LibraryQuery",
    "add_to_library",
    "apply_status",
    "get_detail",
    "list_library",
    "percent_read",
    "remove_from_library",
    "set_status",
    "shelf_titles",
    "to_library_item",
    "update_details",
    "update_entry",
    "update_progress",
    "validate_rating",
]
