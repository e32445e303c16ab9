"""A local content cache: files by SHA-256, each URL's last ETag, and the state of unfinished uploads.

Layout under the root (``$CAIRN_CACHE_DIR``, else ``$XDG_CACHE_HOME/cairn``, else ``~/.cache/cairn``)::

    objects/ab/<sha256>     the bytes, written once and renamed into place
    urls/<sha256 of url>    {"url", "etag", "sha256", "length"}: what a GET of that URL last answered
    uploads/<key>           {"job", "chunk_length", ...}: a chunked upload to resume
    partial/                downloads in progress
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def default_root() -> Path:
    if os.environ.get("CAIRN_CACHE_DIR"):
        return Path(os.environ["CAIRN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cairn"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root) if root else default_root()
        for sub in ("objects", "urls", "uploads", "partial"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)

    # -- content --------------------------------------------------------------------------------
    def blob(self, sha256: str | None) -> Path | None:
        """The cached file with these bytes, if there is one."""
        if not sha256:
            return None
        path = self.root / "objects" / sha256[:2] / sha256
        return path if path.is_file() else None

    def partial(self) -> Path:
        """A new file name for a download in progress (moved into the cache by :meth:`keep`)."""
        fd, name = tempfile.mkstemp(dir=self.root / "partial")
        os.close(fd)
        return Path(name)

    def keep(self, path: Path, sha256: str) -> Path:
        """Moves a complete, checked download into the cache under its SHA-256."""
        target = self.root / "objects" / sha256[:2] / sha256
        target.parent.mkdir(exist_ok=True)
        os.replace(path, target)
        return target

    # -- what each URL answered ---------------------------------------------------------------
    def lookup(self, url: str) -> dict | None:
        entry = _read(self.root / "urls" / _key(url))
        if entry and self.blob(entry.get("sha256")):
            return entry
        return None

    def remember(self, url: str, etag: str | None, sha256: str, length: int) -> None:
        _write(self.root / "urls" / _key(url), {"url": url, "etag": etag, "sha256": sha256, "length": length})

    # -- uploads to resume ----------------------------------------------------------------------
    def upload(self, key: str) -> dict | None:
        return _read(self.root / "uploads" / _key(key))

    def save_upload(self, key: str, state: dict) -> None:
        _write(self.root / "uploads" / _key(key), state)

    def drop_upload(self, key: str) -> None:
        (self.root / "uploads" / _key(key)).unlink(missing_ok=True)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def _write(path: Path, value: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value), "utf-8")
    os.replace(tmp, path)
