"""Files in Cairn's object store (Hatrac's API): put with digests and resumable chunked jobs,
get through the local content cache, open as a stream that resumes with Range."""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
import shutil
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import requests

from . import errors
from ._cache import Cache
from ._http import Http
from ._progress import bar
from ._source import Data, Source

MiB = 1 << 20


def hatrac_path(path: str) -> str:
    """``/hatrac/ns/obj``, from that or from ``ns/obj``; a full URL is kept."""
    if path.startswith(("http://", "https://", "/hatrac/")):
        return path
    return "/hatrac/" + path.lstrip("/")


class Store:
    """The object store. ``chunk_threshold``: content above it goes up as a chunked job of ``chunk_size`` chunks."""

    def __init__(self, http: Http, cache: Cache, chunk_threshold: int = 64 * MiB, chunk_size: int = 16 * MiB):
        self.http = http
        self.cache = cache
        self.chunk_threshold = chunk_threshold
        self.chunk_size = chunk_size
        #: chunks sent by the last chunked upload (its index numbers), for a caller to see what a resume sent
        self.last_chunks_sent: list[int] = []

    # -- writing ---------------------------------------------------------------------------------
    def put(self, path: str, data: Data, *, content_type: str | None = None, filename: str | None = None,
            parents: bool = True, progress: bool | None = None) -> str:
        """Stores ``data`` (a file path, bytes or a binary stream) as a new version of the object at
        ``path``; returns the version's path (``/hatrac/ns/obj:VERSION``). MD5 and SHA-256 go along and
        the server checks them. Content above ``chunk_threshold`` is sent in chunks, and a put that was
        interrupted resumes: the same content to the same path asks the job what is missing."""
        url = hatrac_path(path)
        with Source(data, filename) as src:
            if src.length > self.chunk_threshold:
                return self._put_chunked(url, src, content_type, parents, progress)
            headers = {
                "Content-Type": content_type or "application/octet-stream",
                "Content-MD5": src.md5_b64,
                "Content-SHA256": src.sha256_b64,
            }
            if src.name:
                headers["Content-Disposition"] = "filename*=UTF-8''" + quote(src.name, safe="")
            meter = bar(src.length, os.path.basename(url), progress)
            with src.open() as f:
                body = _Counting(f, src.length, meter, self.http.stats)
                response = self.http.request("PUT", url, data=body, headers=headers,
                                             params={"parents": "true"} if parents else None)
            meter.close()
            return _location(response)

    def _put_chunked(self, url: str, src: Source, content_type: str | None, parents: bool,
                     progress: bool | None) -> str:
        key = f"{self.http.url}{url}\n{src.sha256}\n{self.chunk_size}"
        count = max(1, math.ceil(src.length / self.chunk_size))
        job, missing = None, list(range(count))
        state = self.cache.upload(key)
        if state:
            try:
                status = self.http.get(state["job"])
                job, missing = state["job"], sorted(status.get("missing-chunks", []))
            except errors.NotFound:
                self.cache.drop_upload(key)
        if job is None:
            body = {"chunk-length": self.chunk_size, "content-length": src.length, "content-md5": src.md5_b64,
                    "content-sha256": src.sha256_b64, "content-type": content_type or "application/octet-stream"}
            if src.name:
                body["content-disposition"] = "filename*=UTF-8''" + quote(src.name, safe="")
            response = self.http.request("POST", url + ";upload", json=body,
                                         params={"parents": "true"} if parents else None)
            job = _location(response)
            self.cache.save_upload(key, {"job": job, "path": url, "sha256": src.sha256, "length": src.length})
        self.last_chunks_sent = []
        meter = bar(src.length, os.path.basename(url), progress)
        meter.update(src.length - sum(min(self.chunk_size, src.length - i * self.chunk_size) for i in missing))
        for index in missing:
            chunk = src.read(index * self.chunk_size, self.chunk_size)
            self._send_chunk(job, index, chunk)
            self.last_chunks_sent.append(index)
            meter.update(len(chunk))
        meter.close()
        version = _location(self.http.request("POST", job))
        self.cache.drop_upload(key)
        return version

    def _send_chunk(self, job: str, index: int, chunk: bytes) -> None:
        self.http.request("PUT", f"{job}/{index}", data=chunk,
                          headers={"Content-Type": "application/octet-stream"})
        self.http.stats.bytes_sent += len(chunk)

    def mkdir(self, namespace: str, parents: bool = True) -> None:
        """Creates a namespace (and its missing ancestors); one that exists is left alone."""
        self.http.request("PUT", hatrac_path(namespace), headers={"Content-Type": "application/x-hatrac-namespace"},
                          params={"parents": "true"} if parents else None, ok=(409,))

    def delete(self, path: str) -> None:
        self.http.request("DELETE", hatrac_path(path))

    # -- reading ---------------------------------------------------------------------------------
    def ls(self, namespace: str) -> list[str]:
        """The names directly in a namespace."""
        return self.http.json("GET", hatrac_path(namespace), headers={"Accept": "application/json"})

    def versions(self, path: str) -> list[str]:
        return self.http.json("GET", hatrac_path(path) + ";versions", headers={"Accept": "application/json"})

    def metadata(self, path: str) -> dict:
        return self.http.json("GET", hatrac_path(path) + ";metadata", headers={"Accept": "application/json"})

    def open(self, path: str, version: str | None = None) -> "RemoteFile":
        """The object's bytes as a stream; a connection lost midway is resumed with Range."""
        return RemoteFile(self.http, _versioned(hatrac_path(path), version))

    def get(self, path: str, to: str | os.PathLike | None = None, version: str | None = None,
            progress: bool | None = None) -> Path:
        """The object's bytes as a local file, through the content cache: a URL fetched before is
        revalidated with its ETag, and a 304 moves no bytes. Returns ``to`` (a file, or a folder to
        put the object's name in), or without it the cached file (read-only: copy it to change it)."""
        blob = self.fetch(_versioned(hatrac_path(path), version), progress=progress)
        return place(blob, to, hatrac_path(path).rsplit("/", 1)[-1].split(":")[0])

    def fetch(self, url: str, sha256: str | None = None, progress: bool | None = None) -> Path:
        """The cached file for a URL: no request when ``sha256`` is known and cached, a 304 when the
        ETag still holds, else a download checked against the answer's digests."""
        known = self.cache.blob(sha256)
        if known:
            return known
        entry = self.cache.lookup(url)
        headers = {"If-None-Match": entry["etag"]} if entry and entry.get("etag") else {}
        reader = RemoteFile(self.http, url, headers=headers)
        if reader.status == 304:
            reader.close()
            return self.cache.blob(entry["sha256"])
        partial = self.cache.partial()
        try:
            md5, digest = hashlib.md5(), hashlib.sha256()
            meter = bar(reader.length, os.path.basename(url), progress)
            with reader, open(partial, "wb") as out:
                for block in iter(lambda: reader.read(MiB), b""):
                    md5.update(block)
                    digest.update(block)
                    out.write(block)
                    meter.update(len(block))
            meter.close()
            _check(reader, md5, digest, url)
            blob = self.cache.keep(partial, digest.hexdigest())
        finally:
            partial.unlink(missing_ok=True)
        os.chmod(blob, 0o444)
        length = blob.stat().st_size
        self.cache.remember(url, reader.etag, digest.hexdigest(), length)
        if reader.content_location:
            self.cache.remember(self.http.absolute(reader.content_location), reader.etag, digest.hexdigest(), length)
        return blob


def place(blob: Path, to: str | os.PathLike | None, name: str) -> Path:
    """A cached file copied to where the caller asked (a folder gets the object's name), or the cached file."""
    if to is None:
        return blob
    target = Path(to)
    if target.is_dir():
        target = target / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(blob, target)
    return target


def _versioned(url: str, version: str | None) -> str:
    return f"{url}:{version}" if version else url


def _location(response: requests.Response) -> str:
    text = response.text.strip()
    return text.splitlines()[0] if text else response.headers.get("Location", "")


def _check(reader: "RemoteFile", md5, sha256, url: str) -> None:
    for header, digest in (("Content-SHA256", sha256), ("Content-MD5", md5)):
        sent = reader.headers.get(header)
        if sent and base64.b64decode(sent) != digest.digest():
            raise errors.IntegrityError(f"{url}: the bytes received do not match the {header} the server sent")


class _Counting(io.RawIOBase):
    """A file read for sending, counting what leaves; its length lets requests send a Content-Length."""

    def __init__(self, f: BinaryIO, length: int, meter, stats):
        self._f, self._length, self._meter, self._stats = f, length, meter, stats

    def __len__(self) -> int:
        return self._length

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        block = self._f.read(n)
        self._meter.update(len(block))
        self._stats.bytes_sent += len(block)
        return block


class RemoteFile(io.RawIOBase):
    """A GET's body as a file; a connection lost before the end is resumed with Range and If-Range,
    up to ``retries`` times, so a reader sees the whole content or an exception, never a short file."""

    def __init__(self, http: Http, url: str, headers: dict | None = None, retries: int = 5):
        self._http, self.url, self._retries = http, url, retries
        self._response = http.request("GET", url, stream=True, headers=headers or {}, ok=(304,))
        self.status = self._response.status_code
        self.headers = self._response.headers
        self.etag = self.headers.get("ETag")
        self.content_location = self.headers.get("Content-Location")
        length = self.headers.get("Content-Length")
        self.length = int(length) if length and self.status == 200 else None
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.status == 304:
            return 0
        for attempt in range(self._retries + 1):
            try:
                block = self._response.raw.read(len(buffer), decode_content=True)
            except (requests.RequestException, OSError, Exception) as e:  # urllib3's protocol and read errors
                if attempt == self._retries or not _transient(e):
                    raise errors.ConnectionFailed(f"GET {self.url} broke off at byte {self.position}: {e}") from e
                self._resume()
                continue
            if not block and self.length is not None and self.position < self.length:
                if attempt == self._retries:
                    raise errors.ConnectionFailed(f"GET {self.url} ended at byte {self.position} of {self.length}")
                self._resume()
                continue
            n = len(block)
            buffer[:n] = block
            self.position += n
            self._http.stats.bytes_received += n
            return n
        return 0

    def _resume(self) -> None:
        self._response.close()
        headers = {"Range": f"bytes={self.position}-"}
        if self.etag:
            headers["If-Range"] = self.etag
        response = self._http.request("GET", self.url, stream=True, headers=headers)
        if response.status_code != 206:
            response.close()
            raise errors.IntegrityError(f"GET {self.url}: the content changed while it was read")
        self._response = response

    def close(self) -> None:
        self._response.close()
        super().close()


def _transient(e: Exception) -> bool:
    name = type(e).__name__
    return isinstance(e, (requests.ConnectionError, ConnectionError, TimeoutError)) or name in (
        "ProtocolError", "ReadTimeoutError", "IncompleteRead", "ChunkedEncodingError", "SSLError")
