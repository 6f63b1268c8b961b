"""The backend's origin in the browser, read from the frontend build's own
``env.json`` -- the one place that reaches into Reflex's generated files.

Reflex offers no public variable for its backend's URL on the client. Its
build writes ``.web/env.json`` (``UPLOAD``, ``EVENT``, ``PING``... as
absolute URLs of the backend) when it compiles, after a test harness or
``reflex export`` has settled the port and ``API_URL``; a string computed in
Python at import time can be stale by then (a head script that baked
``backend_url()`` at import asked the wrong port under the test harness).
"""

from __future__ import annotations

from reflex.constants import Dirs
from reflex.utils.imports import ImportVar
from reflex.vars import Var, VarData

_ENV_JSON = {"$/env.json": ImportVar(tag="env", is_default=True)}


def backend_origin() -> Var[str]:
    """As the browser reaches it: Reflex's ``getBackendURL`` puts the page's host in place of
    ``localhost`` (so a phone on the LAN reaches the same machine). For links and images."""
    imports = {**_ENV_JSON, f"$/{Dirs.STATE_PATH}": ImportVar(tag="getBackendURL")}
    return Var(_js_expr="getBackendURL(env.UPLOAD).origin", _var_data=VarData(imports=imports)).to(str)


def built_backend_origin() -> Var[str]:
    """``env.json``'s own text, the same when the export prerenders the page and when the
    browser hydrates it: for text React compares while hydrating (an inline script's source)."""
    return Var(_js_expr="new URL(env.UPLOAD).origin", _var_data=VarData(imports=_ENV_JSON)).to(str)
