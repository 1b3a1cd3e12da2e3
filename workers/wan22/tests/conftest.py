import http.server
import json
import os
import sys
import threading
import uuid
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(WORKER))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from storage import StorageSettings, Store  # noqa: E402


@pytest.fixture(scope="session")
def contract():
    return json.loads((WORKER / "contract.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validator(contract):
    """validator(name, value) -> list of schema errors for one of the contract's $defs."""
    import jsonschema

    def check(name, value):
        schema = {**contract, "$ref": f"#/$defs/{name}"}
        return [error.message for error in jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(value)]

    return check


def _required(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set. The worker's storage tests need s3rver: run ./test, or `source scripts/provision.sh; start_s3rver`.")
    return value


@pytest.fixture
def storage_settings():
    return StorageSettings(
        endpoint_url=_required("TEST_S3_ENDPOINT"),
        bucket=_required("TEST_S3_BUCKET"),
        access_key_id="S3RVER",
        secret_access_key="S3RVER",
        region="us-east-1",
        prefix=f"wan22-{uuid.uuid4().hex[:12]}",
    )


@pytest.fixture
def store(storage_settings):
    return Store(storage_settings)


class _Site(http.server.BaseHTTPRequestHandler):
    routes = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            if value is not None:
                self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    """A local HTTP server: site.add(path, body, status=200, headers={}) then site.url(path)."""
    handler = type("Site", (_Site,), {"routes": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Site:
        def add(self, path, body=b"", status=200, headers=None):
            handler.routes[path] = (status, headers or {}, body)

        def url(self, path):
            return f"http://127.0.0.1:{server.server_address[1]}{path}"

    yield Site()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def png_bytes(tmp_path_factory):
    """A real 640x480 PNG made by ffmpeg."""
    import subprocess

    path = tmp_path_factory.mktemp("img") / "in.png"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x480", "-frames:v", "1", str(path)], check=True)
    return path.read_bytes()
