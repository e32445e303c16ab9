"""Python objects to bytes and back, so that a caller need not serialise by hand.

A pandas DataFrame goes as Parquet (with pyarrow) or CSV, a NumPy array as ``.npy``, a dict or list
as JSON, text as UTF-8; bytes and file paths go as they are. Loading reads the format back. Nothing
is ever unpickled."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any


def to_bytes(obj: Any, name: str) -> tuple[Any, str, str]:
    """``(data, filename, content_type)`` for ``obj``: a file path, bytes, a stream, or an object to serialise."""
    if isinstance(obj, (str, os.PathLike)) and Path(obj).is_file():
        return obj, Path(obj).name, _guess(Path(obj).name)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return bytes(obj), name, "application/octet-stream"
    if hasattr(obj, "read"):
        return obj, os.path.basename(getattr(obj, "name", "")) or name, "application/octet-stream"
    kind = type(obj).__module__.split(".")[0] + "." + type(obj).__name__
    if kind == "pandas.DataFrame":
        try:
            import pyarrow  # noqa: F401
            buffer = io.BytesIO()
            obj.to_parquet(buffer, index=False)
            return buffer.getvalue(), name + ".parquet", "application/vnd.apache.parquet"
        except ImportError:
            return obj.to_csv(index=False).encode(), name + ".csv", "text/csv"
    if kind == "numpy.ndarray":
        import numpy
        buffer = io.BytesIO()
        numpy.save(buffer, obj, allow_pickle=False)
        return buffer.getvalue(), name + ".npy", "application/octet-stream"
    if isinstance(obj, (dict, list, tuple, int, float, bool)) or obj is None:
        return json.dumps(obj, indent=2).encode(), name + ".json", "application/json"
    if isinstance(obj, str):
        raise FileNotFoundError(f"No such file: {obj} (send text as bytes: text.encode())")
    raise TypeError(f"Cannot store a {kind}: send a file path, bytes, a DataFrame, an array or JSON-like data")


def load(path: Path, filename: str | None = None) -> Any:
    """The object a file holds, by its name's extension; bytes when the format is not one of ours."""
    name = (filename or path.name).lower()
    if name.endswith(".json"):
        return json.loads(path.read_text("utf-8"))
    if name.endswith(".parquet"):
        import pandas
        return pandas.read_parquet(path)
    if name.endswith((".csv", ".csv.gz")):
        import pandas
        return pandas.read_csv(path)
    if name.endswith(".npy"):
        import numpy
        return numpy.load(path, allow_pickle=False)
    if name.endswith((".txt", ".md", ".yaml", ".yml")):
        return path.read_text("utf-8")
    return path.read_bytes()


def _guess(name: str) -> str:
    import mimetypes
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
