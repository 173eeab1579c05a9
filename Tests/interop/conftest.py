"""Fixtures for the interop suite: locate the built binaries, start servers on
ephemeral ports, tear them down, keep their stderr when something failed."""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import dbkit

REPO_ROOT = Path(__file__).resolve().parents[2]
LISTENING_RE = re.compile(r"listening (https?)://127\.0\.0\.1:(\d+)")


def _bin_dir() -> Path:
    env = os.environ.get("DESKGATE_BIN_DIR")
    if env:
        return Path(env)
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO_ROOT,
                         check=True, capture_output=True, text=True).stdout.strip()
    return Path(out)


BIN_DIR = _bin_dir()
OUTPUT_DIR = Path(os.environ.get("DESKGATE_TEST_OUTPUT", REPO_ROOT / "test-output"))


def binary(name: str) -> Path:
    path = BIN_DIR / name
    if not path.is_file():
        pytest.fail(f"{path} not found: build it first (swift build) or set DESKGATE_BIN_DIR")
    return path


def read_output_until(proc: subprocess.Popen, marker: str, timeout: float) -> str:
    """What a started program printed on stdout until `marker` appeared, it exited, or `timeout`
    passed (for `deskgate up`, whose banner says when both servers are ready)."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    text = ""
    deadline = time.monotonic() + timeout
    while marker not in text and time.monotonic() < deadline and proc.poll() is None:
        if sel.select(timeout=0.2):
            chunk = os.read(proc.stdout.fileno(), 4096).decode()
            if not chunk:
                break
            text += chunk
    sel.close()
    return text


def demo_workspace(tmp_path_factory, name: str, tickets: int = 10):
    """A fresh database (an SQLite file, or in the PostgreSQL pass a fresh database) with the demo
    tenant `acme` of `tickets` tickets. Returns the database, the folder (keys live in it) and
    `cli(*args)`, which runs `deskgate` on both and returns its standard output."""
    root = tmp_path_factory.mktemp(name)
    db = dbkit.database(root / "db.sqlite")

    def cli(*args: str) -> str:
        return subprocess.run([str(binary("deskgate")), "--database", db, "--keys", str(root / "keys"), *args],
                              capture_output=True, text=True, check=True).stdout

    cli("demo", "--tickets", str(tickets))
    return db, root, cli


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150]


class Server:
    """One running server process started on port 0."""

    def __init__(self, program: str, args: list[str], label: str):
        self.label = label
        self.args = [str(binary(program)), "--host", "127.0.0.1", "--port", "0", *dbkit.as_server(list(args))]
        self._stderr_file = tempfile.NamedTemporaryFile(prefix="deskgate-", suffix=".stderr", delete=False)
        self.stderr_path = Path(self._stderr_file.name)
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr_file)
        self.expected_exit = False
        self.scheme = "http"
        self.port = self._wait_listening(timeout=20.0)
        self.host = "127.0.0.1"
        self.base_url = f"{self.scheme}://127.0.0.1:{self.port}"

    def _wait_listening(self, timeout: float) -> int:
        assert self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        buf = b""
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.kill()
                pytest.fail(f"{self.label}: no 'listening' line within {timeout}s "
                            f"(exit={self.proc.returncode}, stdout={buf!r}, stderr={self.stderr_text()[-2000:]!r})")
            if sel.select(timeout=min(left, 0.2)):
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    continue
                buf += chunk
        sel.close()
        line = buf.split(b"\n", 1)[0].decode()
        m = LISTENING_RE.fullmatch(line)
        if not m:
            self.kill()
            pytest.fail(f"{self.label}: first stdout line must be 'listening http(s)://127.0.0.1:PORT', got {line!r}")
        self.scheme = m.group(1)
        return int(m.group(2))

    def url(self, path: str) -> str:
        return self.base_url + path

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stderr_text(self) -> str:
        self._stderr_file.flush()
        return self.stderr_path.read_text(errors="replace")

    def signal(self, sig: int) -> None:
        self.expected_exit = True
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 5.0) -> int | None:
        if self.proc.poll() is None:
            self.expected_exit = True
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def save_stderr(self, name: str) -> Path:
        dest_dir = OUTPUT_DIR / "servers"
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / f"{_safe(name)}.stderr"
        self._stderr_file.flush()
        shutil.copyfile(self.stderr_path, dest)
        return dest

    def close(self) -> None:
        self.kill()
        if self.proc.stdout:
            self.proc.stdout.close()
        self._stderr_file.close()
        self.stderr_path.unlink(missing_ok=True)

    def crashed(self) -> str | None:
        """A description if the process died without being asked to."""
        if self.proc.poll() is not None and not self.expected_exit:
            return f"{self.label} exited unexpectedly with code {self.proc.returncode}"
        return None


def pytest_report_header(config):
    import dbkit
    return f"deskgate database backend: {dbkit.backend()} (DESKGATE_TEST_BACKEND)"


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, tests marked sqlite_only (they inspect the SQLite file itself) are skipped."""
    import dbkit
    if not dbkit.on_postgres():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "checks the SQLite file itself"
            item.add_marker(pytest.mark.skip(reason=f"sqlite_only: {why}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def _failed(node) -> bool:
    return any(getattr(node, "rep_" + w, None) is not None and getattr(node, "rep_" + w).failed
               for w in ("setup", "call"))


@pytest.fixture
def start_server(request):
    """Factory: start_server(*flags, program='deskgate-echo') -> Server, killed at teardown."""
    servers: list[Server] = []

    def start(*flags: str, program: str = "deskgate-echo") -> Server:
        s = Server(program, list(flags), label=f"{program} {' '.join(flags)}")
        servers.append(s)
        return s

    yield start
    problems = []
    for i, s in enumerate(servers):
        crash = s.crashed()
        if crash:
            problems.append(crash)
        s.kill()
        if _failed(request.node) or crash:
            s.save_stderr(f"{request.node.nodeid}-{i}")
        s.close()
    if problems:
        pytest.fail("; ".join(problems))


@pytest.fixture(scope="session")
def _shared_echo_holder(request):
    holder: dict[str, Server] = {}
    yield holder
    s = holder.get("server")
    if s is not None:
        s.stop()
        if request.session.testsfailed:
            s.save_stderr("shared-echo")
        s.close()


SHARED_FLAGS = ("--max-body", "65536", "--header-timeout", "5", "--idle-timeout", "30")


@pytest.fixture
def echo(_shared_echo_holder, request) -> Server:
    """The shared deskgate-echo server (max body 64 KiB). Restarted if a test killed it,
    and that test fails."""
    s = _shared_echo_holder.get("server")
    if s is None or not s.alive():
        if s is not None:
            s.save_stderr(f"shared-echo-died-before-{request.node.nodeid}")
            s.close()
        s = Server("deskgate-echo", list(SHARED_FLAGS), label="shared deskgate-echo")
        _shared_echo_holder["server"] = s
    yield s
    if not s.alive():
        s.save_stderr(f"shared-echo-died-in-{request.node.nodeid}")
        pytest.fail(f"shared deskgate-echo died during this test (exit code {s.proc.returncode})")


@pytest.fixture
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR
