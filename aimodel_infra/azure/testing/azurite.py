"""A tiny Blob REST client for Azurite, the Azure Storage emulator (npm package ``azurite``).

Azurite emulates the Blob *data plane* only: no ARM, no storage accounts of ours, no network rules,
no shared-key switch. What it can check is what the Blob API itself enforces on what we build: that
a container name we generate is accepted, and what ``public_access`` "None" means for an anonymous
reader. Requests are signed with Shared Key, Azurite's well-known development account.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

#: Azurite's documented development account and key (public, the same in every install).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
API_VERSION = "2021-08-06"


def stop(process: subprocess.Popen[bytes], grace_seconds: float = 10) -> None:
    """Ask the emulator to stop; a busy machine can make Azurite's graceful shutdown slow, so after
    ``grace_seconds`` it is killed (its data directory is scratch either way)."""
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Response:
    status: int
    error_code: str | None


def azurite_binary() -> str | None:
    """``$AZURITE_BLOB`` (a path to ``azurite-blob``), else ``azurite-blob`` on PATH; None when absent."""
    given = os.environ.get("AZURITE_BLOB")
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("azurite-blob")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_azurite(binary: str) -> Iterator[BlobClient]:
    """Start Azurite's blob service on a free port in a scratch directory; stop exactly that process."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as location:
        process = subprocess.Popen(
            [binary, "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", location, "--silent"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError("azurite did not start within 30 s")
            yield BlobClient(f"http://127.0.0.1:{port}/{ACCOUNT}")
        finally:
            stop(process)


@dataclass(frozen=True)
class BlobClient:
    endpoint: str

    def request(self, method: str, path: str, *, query: dict[str, str] | None = None, body: bytes = b"",
                headers: dict[str, str] | None = None, signed: bool = True) -> Response:  # fmt: skip
        query = query or {}
        headers = {"x-ms-date": formatdate(usegmt=True), "x-ms-version": API_VERSION, **(headers or {})}
        if method == "PUT":  # urllib would add a form Content-Type to any body; name ours so it is signed
            headers["Content-Length"] = str(len(body))
            headers["Content-Type"] = "application/octet-stream"
        if signed:
            headers["Authorization"] = f"SharedKey {ACCOUNT}:{self._signature(method, path, query, headers)}"
        url = f"{self.endpoint}/{path}" + (
            "?" + "&".join(f"{k}={v}" for k, v in sorted(query.items())) if query else ""
        )
        req = urllib.request.Request(url, data=body if method == "PUT" else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return Response(response.status, None)
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers.get("x-ms-error-code"))

    def _signature(self, method: str, path: str, query: dict[str, str], headers: dict[str, str]) -> str:
        length = headers.get("Content-Length", "")
        standard = [method, "", "", "" if length in ("", "0") else length, "", headers.get("Content-Type", ""),
                    "", "", "", "", "", ""]  # fmt: skip
        ms = "".join(f"{k.lower()}:{v}\n" for k, v in sorted(headers.items(), key=lambda kv: kv[0].lower())
                     if k.lower().startswith("x-ms-"))  # fmt: skip
        resource = f"/{ACCOUNT}/{ACCOUNT}/{path}" + "".join(f"\n{k}:{v}" for k, v in sorted(query.items()))
        text = "\n".join(standard) + "\n" + ms + resource
        digest = hmac.new(base64.b64decode(KEY), text.encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def create_container(self, name: str, public_access: str | None = None) -> Response:
        headers = {"x-ms-blob-public-access": public_access} if public_access else {}
        return self.request("PUT", name, query={"restype": "container"}, headers=headers)

    def put_blob(self, container: str, blob: str, data: bytes) -> Response:
        return self.request("PUT", f"{container}/{blob}", body=data, headers={"x-ms-blob-type": "BlockBlob"})

    def anonymous_get(self, container: str, blob: str) -> Response:
        return self.request("GET", f"{container}/{blob}", signed=False)
