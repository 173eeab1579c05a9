"""An acknowledged write survives kill -9 (operator CLI contract):
`deskgate --database PATH debug write-probe --count N` commits tenants `probe-<n>`
through the group-commit writer from several threads and prints `ack probe-<n>`
after each acknowledged commit. On SQLite the file must also pass integrity_check; on
PostgreSQL (DESKGATE_TEST_BACKEND=postgres) the same acks must be in the database."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time

import dbkit
from conftest import OUTPUT_DIR, binary

ACK_RE = re.compile(r"ack (probe-\d+)")


def _run(args, cwd, env, timeout=60):
    return subprocess.run([str(binary("deskgate")), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_acked_writes_survive_kill_9(tmp_path):
    db = dbkit.database(tmp_path / "deskgate.sqlite")
    env = {**os.environ, "DESKGATE_KEYS_DIR": str(tmp_path / "keys")}
    init = _run(["--database", db, "init"], tmp_path, env)
    assert init.returncode == 0, f"init failed: {init.stdout}\n{init.stderr}"

    proc = subprocess.Popen([str(binary("deskgate")), "--database", db, "debug", "write-probe",
                             "--count", "100000"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    acked: list[str] = []
    bad: list[str] = []

    def reader():
        for line in proc.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill: not an acknowledgement
            m = ACK_RE.fullmatch(line.rstrip("\n"))
            if m:
                acked.append(m.group(1))
            elif line.strip():
                bad.append(line.rstrip("\n"))

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    still_running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=5)
    t.join(timeout=5)  # every ack printed before the kill is in the pipe
    stderr = proc.stderr.read()
    if bad or not acked:
        (OUTPUT_DIR / "write-probe.stderr").parent.mkdir(parents=True, exist_ok=True)
        (OUTPUT_DIR / "write-probe.stderr").write_text(stderr)
    assert not bad, f"stdout lines that are not 'ack probe-<n>' (interleaved writes?): {bad[:5]}"
    assert still_running, f"write-probe exited on its own before the kill (code {proc.returncode}): {stderr[-2000:]}"
    assert len(acked) >= 300, f"only {len(acked)} acks in 1.5 s; stderr: {stderr[-2000:]}"
    assert all(a.startswith("probe-") for a in acked), acked[:5]

    with dbkit.connect(db) as con:
        if not con.postgres:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        slugs = {row[0] for row in con.execute("SELECT slug FROM tenants")}
    lost = [a for a in acked if a not in slugs]
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged writes lost after kill -9, e.g. {lost[:5]}"

    listed = _run(["--database", db, "--json", "tenant", "list"], tmp_path, env)
    assert listed.returncode == 0, f"tenant list failed after kill -9: {listed.stderr}"
    data = json.loads(listed.stdout)
    text = json.dumps(data)
    assert f"\"{acked[0]}\"" in text and f"\"{acked[-1]}\"" in text, "acked tenants missing from tenant list"
