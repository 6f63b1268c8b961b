"""Plain functions over a SQLModel ``session=``: no Reflex in here.

The web states and the REST API both call these, so every rule (validation,
ownership, privacy) lives in exactly one place.
"""
