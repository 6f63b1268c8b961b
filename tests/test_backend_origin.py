"""components/backend_origin.py: the one place that reads Reflex's generated env.json.
The test pins what it relies on -- Reflex's UPLOAD endpoint is an absolute URL of the
backend -- and runs both expressions in node with such an env."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from reflex import constants
from reflex.config import get_config

from booktracker.components.backend_origin import backend_origin, built_backend_origin

NODE = shutil.which("node")


def test_reflexs_upload_endpoint_is_an_absolute_url_on_the_backend():
    url = constants.Endpoint.UPLOAD.get_url()
    assert url == get_config().api_url.rstrip("/") + "/_upload"  # what set_env_json writes as env.UPLOAD


def test_both_read_env_json_and_only_the_browser_one_adjusts_the_host():
    for var in (backend_origin(), built_backend_origin()):
        data = var._get_all_var_data()
        assert data is not None and "$/env.json" in dict(data.imports)
    assert "getBackendURL" in str(backend_origin()) and "getBackendURL" not in str(built_backend_origin())


@pytest.mark.skipif(NODE is None, reason="node runs the expression")
def test_the_built_origin_is_env_jsons_backend():
    env = {"UPLOAD": "https://api.example.org/_upload"}
    script = f"const env = {json.dumps(env)}; console.log({built_backend_origin()!s});"
    done = subprocess.run([NODE or "node", "-e", script], capture_output=True, text=True, check=True, timeout=30)
    assert done.stdout.strip() == "https://api.example.org"
