"""The issuer's published keys (issue 4, first part): `/t/{tenant}/jwks.json` on deskgate-auth,
read with joserfc (a JOSE library nobody here wrote), through `deskgate keys rotate/retire`."""

from __future__ import annotations

import json
import os
import subprocess

import httpx
from joserfc.jwk import ECKey, KeySet

import dbkit
from conftest import binary


def _cli(tmp_path, *args):
    done = subprocess.run([str(binary("deskgate")), "--database", dbkit.database(tmp_path / "db.sqlite"),
                           "--keys", str(tmp_path / "keys"), *args], capture_output=True, text=True)
    # The program's own words on failure (a crash's message is on stderr, which check=True would drop).
    assert done.returncode == 0, f"deskgate {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}"
    return done


def _jwks(server):
    response = httpx.get(server.url("/t/acme/jwks.json"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_jwks_is_a_valid_key_set_that_follows_rotation(start_server, tmp_path):
    _cli(tmp_path, "init")
    _cli(tmp_path, "tenant", "create", "acme", "--name", "Acme")
    first = json.loads(_cli(tmp_path, "--json", "keys", "list").stdout)[0]["kid"]
    server = start_server("--database", dbkit.database(tmp_path / "db.sqlite"), "--keys", str(tmp_path / "keys"),
                          program="deskgate-auth")

    document = _jwks(server)
    key_set = KeySet.import_key_set(document)
    assert [key.kid for key in key_set.keys] == [first]
    key = key_set.keys[0]
    assert isinstance(key, ECKey) and key.as_dict()["crv"] == "P-256"
    assert key.thumbprint() == first          # kid is the RFC 7638 thumbprint
    assert "d" not in document["keys"][0]     # never the private part
    assert document["keys"][0]["alg"] == "ES256" and document["keys"][0]["use"] == "sig"

    rotated = json.loads(_cli(tmp_path, "--json", "keys", "rotate").stdout)
    assert rotated["previous_key_id"] == first
    second = rotated["key_id"]
    assert {k.kid for k in KeySet.import_key_set(_jwks(server)).keys} == {first, second}
    key_file = tmp_path / "keys" / "es256.key.pem"
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"

    _cli(tmp_path, "keys", "retire", first)
    assert [k.kid for k in KeySet.import_key_set(_jwks(server)).keys] == [second]
    refused = subprocess.run([str(binary("deskgate")), "--database", dbkit.database(tmp_path / "db.sqlite"), "keys", "retire", second],
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "active signing key" in refused.stderr

    assert httpx.get(server.url("/t/nobody/jwks.json")).status_code == 404
