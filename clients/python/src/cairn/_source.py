"""What a client uploads: a local file, bytes, or a binary stream, read for its digests first."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Union

Data = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO]

_BLOCK = 1 << 20


def file_md5(path: "str | os.PathLike") -> bytes:
    """The MD5 digest of a file, read in blocks."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            digest.update(block)
    return digest.digest()


class Source:
    """Bytes with their length, MD5 and SHA-256, readable again from any offset."""

    def __init__(self, data: Data, name: str | None = None):
        self._spool: str | None = None
        if isinstance(data, (bytes, bytearray, memoryview)):
            self._bytes: bytes | None = bytes(data)
            self.path: Path | None = None
            self.name = name
        elif isinstance(data, (str, os.PathLike)):
            self._bytes = None
            self.path = Path(data)
            if not self.path.is_file():
                raise FileNotFoundError(f"No such file: {self.path}")
            self.name = name or self.path.name
        elif hasattr(data, "read"):
            # a stream: spooled to a temporary file, so that it can be read for its digests and again to send
            self._bytes = None
            fd, self._spool = tempfile.mkstemp(prefix="cairn-upload-")
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(data, out, _BLOCK)
            self.path = Path(self._spool)
            self.name = name or (os.path.basename(getattr(data, "name", "")) or None)
        else:
            raise TypeError(f"Send a file path, bytes or a binary file object, not {type(data).__name__}")
        md5, sha256, length = hashlib.md5(), hashlib.sha256(), 0
        with self.open() as f:
            for block in iter(lambda: f.read(_BLOCK), b""):
                md5.update(block)
                sha256.update(block)
                length += len(block)
        self.length = length
        self.md5 = md5.hexdigest()
        self.sha256 = sha256.hexdigest()
        self.md5_b64 = base64.b64encode(md5.digest()).decode()
        self.sha256_b64 = base64.b64encode(sha256.digest()).decode()

    def open(self) -> BinaryIO:
        return io.BytesIO(self._bytes) if self._bytes is not None else open(self.path, "rb")

    def read(self, offset: int, length: int) -> bytes:
        if self._bytes is not None:
            return self._bytes[offset:offset + length]
        with open(self.path, "rb") as f:
            f.seek(offset)
            return f.read(length)

    def close(self) -> None:
        if self._spool:
            Path(self._spool).unlink(missing_ok=True)
            self._spool = None

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
