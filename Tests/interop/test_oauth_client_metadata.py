"""Client ID Metadata Documents end to end: an MCP client whose client_id is the URL of its own
metadata document goes through authorize, login, consent and the token endpoint without
registering, and documents the server must not trust are shown as errors, never redirected to."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import dbkit
from conftest import Server
from test_oauth_server import REDIRECT, Browser, cli, exchange, only_form, pkce, query_of


class Documents(BaseHTTPRequestHandler):
    """Serves `documents[path]` as JSON; records the paths asked for."""
    documents: dict[str, dict] = {}
    requested: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server API)
        Documents.requested.append(self.path)
        body = json.dumps(Documents.documents.get(self.path, {})).encode()
        self.send_response(200 if self.path in Documents.documents else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=120")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Documents)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    good = f"{base}/apps/interop.json"
    Documents.documents = {
        "/apps/interop.json": {"client_id": good, "client_name": "Interop Metadata App", "redirect_uris": [REDIRECT],
                               "grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": "none"},
        "/apps/fresh.json": {"client_id": f"{base}/apps/fresh.json", "client_name": "Never fetched over http",
                             "redirect_uris": [REDIRECT]},
        "/apps/impostor.json": {"client_id": f"{base}/apps/someone-else.json", "client_name": "Impostor",
                                "redirect_uris": [REDIRECT]},
    }
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, site):
    root = tmp_path_factory.mktemp("cimd")
    cli(root, "init")
    cli(root, "demo", "--tenant", "acme", "--tickets", "0")
    common = ["--database", dbkit.database(root / "db.sqlite"), "--keys", str(root / "keys")]
    dev_config = root / "dev.json"
    dev_config.write_text(json.dumps({"dev_allow_http_client_metadata": True}))
    dev = Server("deskgate-auth", common + ["--config", str(dev_config)], label="deskgate-auth dev-cimd")
    prod = Server("deskgate-auth", common, label="deskgate-auth default")
    yield {"dev": dev, "prod": prod, "root": root}
    for s in (dev, prod):
        s.stop()
        s.close()


def test_a_metadata_document_client_signs_in_without_registering(servers, site):
    client_id = f"{site}/apps/interop.json"
    browser = Browser(servers["dev"])
    try:
        verifier, challenge = pkce()
        response = browser.authorize(client_id, challenge)
        assert response.status_code == 303 and "/login" in response.headers["location"], response.text
        next_path = query_of(response.headers["location"])["next"]
        assert browser.login("admin@acme.test", next_path=next_path).status_code == 303
        consent = browser.http.get(next_path)
        assert consent.status_code == 200, consent.text
        assert "Interop Metadata App" in consent.text and client_id in consent.text   # the app and where it comes from
        form = only_form(consent)
        approved = browser.http.post(form["action"], data=dict(form["inputs"], decision="approve"))
        assert approved.status_code in (302, 303)
        result = query_of(approved.headers["location"])
        assert approved.headers["location"].startswith(REDIRECT) and result.get("code")
    finally:
        browser.close()
    tokens = exchange(servers["dev"], {"client_id": client_id}, result["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["token_type"].lower() == "bearer" and tokens.json()["refresh_token"]
    assert "/apps/interop.json" in Documents.requested
    with dbkit.connect(dbkit.database(servers["root"] / "db.sqlite")) as db:
        kind = db.execute("SELECT kind FROM oauth_clients WHERE client_id = ?", (client_id,)).fetchone()
    assert kind is not None and tuple(kind) == ("cimd",)


@pytest.mark.parametrize("which, client_id", [
    ("prod", "{site}/apps/fresh.json"),              # plain http needs the development flag
    ("dev", "{site}/apps/impostor.json"),            # the document names another client_id
    ("dev", "{site}/apps/missing.json"),             # 404
    ("prod", "https://127.0.0.1/apps/interop.json"), # a loopback address, refused before any request
    ("prod", "https://10.0.0.7/apps/interop.json"),  # a private address
])
def test_untrusted_documents_are_shown_not_redirected(servers, site, which, client_id):
    browser = Browser(servers[which])
    try:
        assert browser.login("admin@acme.test").status_code == 303
        _, challenge = pkce()
        response = browser.authorize(client_id.format(site=site), challenge)
    finally:
        browser.close()
    if "fresh" in client_id:
        assert "/apps/fresh.json" not in Documents.requested
    assert response.status_code in (400, 401, 403), (response.status_code, response.text[:300])
    assert REDIRECT not in response.headers.get("location", "")
    assert "text/html" in response.headers["content-type"]
