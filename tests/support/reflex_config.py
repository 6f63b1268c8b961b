"""rxconfig.py run against changed settings: the rx.Config it builds, and the
REFLEX_* variables it sets for what rx.Config has no field for."""

from __future__ import annotations

import os
import runpy

import pytest
import reflex as rx

import booktracker.settings
from booktracker.settings import PROJECT_ROOT

# Set by rxconfig.py; restored after the test.
REFLEX_VARIABLES = ("REFLEX_UPLOADED_FILES_DIR", "REFLEX_OPLOCK_ENABLED", "REFLEX_OPLOCK_HOLD_TIME")


def rxconfig_with(monkeypatch: pytest.MonkeyPatch, **changes: object) -> rx.Config:
    for name in REFLEX_VARIABLES:
        monkeypatch.setenv(name, os.environ.get(name, ""))
    with monkeypatch.context() as patch:
        # rxconfig.py does `from booktracker.settings import settings`.
        patch.setattr(booktracker.settings, "settings", booktracker.settings.settings.model_copy(update=changes))
        return runpy.run_path(str(PROJECT_ROOT / "rxconfig.py"))["config"]
