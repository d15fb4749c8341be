"""Helpers for the sync tests: keys made at run time, feeds built and signed, data fingerprints."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from briefing.core import feed_publish, minisign
from briefing.core.feed import FetchConfig
from briefing.core.snapshot import dump
from briefing.core.store import Store

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)
FAST = FetchConfig(
    connect_timeout=2,
    read_timeout=2,
    deadline=2.0,
    max_bytes=2_000_000,
    retries=2,
    backoff_factor=0.01,
    backoff_max=0.05,
    retry_after_max=1,
)


def make_key(tmp: Path, name: str = "k") -> tuple[minisign.SecretKey, Path]:
    secret = minisign.keygen()
    pub = tmp / f"{name}.pub"
    pub.write_text(secret.public().to_text())
    return secret, pub


def feed_bytes(
    data_path: Path,
    version: int,
    *,
    expires: dt.datetime | None = None,
    generated: dt.datetime = NOW - dt.timedelta(hours=1),
    mutate=None,
) -> bytes:
    """feed.json for a data file; `mutate(doc)` may edit the parsed document first."""
    with Store(data_path, readonly=True) as store:
        body = feed_publish.build_document(
            store, version=version, generated_at=generated, expires_at=expires or NOW + dt.timedelta(days=30)
        )
    if mutate is not None:
        doc = json.loads(body)
        mutate(doc)
        body = json.dumps(doc).encode()
    return body


def sign(body: bytes, secret: minisign.SecretKey, *, prehash: bool = True) -> bytes:
    head = json.loads(body)["_briefing"]
    return minisign.sign(
        body, secret, feed_publish.trusted_comment(head["feed_version"], head["expires_at"]), prehash=prehash
    ).encode()


def fingerprint(path: Path) -> str:
    """A hash of a database's logical content (tables, rows, meta)."""
    return hashlib.sha256("\n".join(dump(path)).encode()).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


class RawServer:
    """A threaded raw-socket HTTP server on 127.0.0.1: `respond(path) -> list of (bytes, delay)`.

    For what a well-behaved server can't do: cut a body short, drip it slowly, omit Content-Length.
    """

    def __init__(self, respond) -> None:
        import socket
        import threading

        self.respond = respond
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        import threading

        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn) -> None:
        import time

        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            path = data.split(b" ", 2)[1].decode()
            for part, delay in self.respond(path):
                if self.stopped:
                    return
                conn.sendall(part)
                if delay:
                    time.sleep(delay)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped = True
        self.sock.close()


def http_response(body: bytes, *, length: int | None = -1, status: str = "200 OK") -> bytes:
    """Raw response head (+ body): length=-1 → the true length, None → no Content-Length (close-delimited)."""
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/feed+json\r\nConnection: close\r\n"
    if length is not None:
        head += f"Content-Length: {len(body) if length == -1 else length}\r\n"
    return head.encode() + b"\r\n" + body
