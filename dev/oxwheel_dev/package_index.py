"""A package index on the loopback interface, for rehearsing a release without PyPI, and
stand-ins of other web services the release path talks to."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(server: subprocess.Popen[bytes], url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the package index exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the package index did not answer {url} within {seconds:.0f} s")


@contextmanager
def local_index(pypi_server: Path, packages: Path, log: Path) -> Iterator[str]:
    """Serves `packages` with pypiserver (the `pypi-server` executable given) on 127.0.0.1,
    without authentication; yields its URL and stops it on the way out."""
    url = f"http://127.0.0.1:{_free_port()}/"
    port = url.rsplit(":", 1)[1].rstrip("/")
    serve = [str(pypi_server), "run", "--host", "127.0.0.1", "--port", port]
    serve += ["--authenticate", ".", "--passwords", ".", "--hash-algo", "sha256"]
    # An unknown project is a 404, as on PyPI, not a redirect to PyPI.
    serve += ["--disable-fallback", str(packages)]
    with open(log, "wb") as output:
        server = subprocess.Popen(serve, stdout=output, stderr=output)
    try:
        _wait_until_serving(server, url + "simple/", seconds=30)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """A stand-in web service: `handler` answering on 127.0.0.1 in a thread; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
