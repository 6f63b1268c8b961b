"""A reader's personal library: adding books, progress, status and filters.

``listing`` shows the library (shelves, filters, sorting, pages); ``adding``
puts a book in it; ``entries`` changes one book in it; ``reads`` keeps its
read-throughs and ``read_dates`` checks their dates. Callers use
``library.<name>`` from here.
"""

from booktracker.services.library.adding import AddResult, add_shared_book, add_to_library
from booktracker.services.library.entries import (
    KEEP,
    PERSON_MAX,
    PRIVATE_NOTES_MAX,
    RATINGS,
    DetailsUpdate,
    EntryChanges,
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
from booktracker.services.library.read_dates import reader_today, validate_dates
from booktracker.services.library.reads import (
    ReadView,
    delete_read,
    end_read,
    list_reads,
    new_read,
    start_read,
    update_read,
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
    "ReadView",
    "add_shared_book",
    "add_to_library",
    "apply_status",
    "delete_read",
    "end_read",
    "get_detail",
    "list_library",
    "list_reads",
    "new_read",
    "percent_read",
    "reader_today",
    "remove_from_library",
    "set_status",
    "shelf_titles",
    "start_read",
    "to_library_item",
    "update_details",
    "update_entry",
    "update_progress",
    "update_read",
    "validate_dates",
    "validate_rating",
]
