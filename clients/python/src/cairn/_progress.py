"""A progress bar for long transfers, when tqdm is installed and someone is watching."""

from __future__ import annotations

import sys

#: transfers at least this long show a bar (when ``progress`` is left to decide)
THRESHOLD = 16 << 20


class _Silent:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def bar(total: int | None, description: str, progress: bool | None):
    if progress is None:
        progress = bool(total and total >= THRESHOLD and sys.stderr.isatty())
    if not progress:
        return _Silent()
    try:
        from tqdm import tqdm
    except ImportError:
        return _Silent()
    return tqdm(total=total, desc=description, unit="B", unit_scale=True, unit_divisor=1024, leave=False)
