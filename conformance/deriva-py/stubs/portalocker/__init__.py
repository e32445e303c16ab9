"""Stand-in for portalocker: deriva-py locks its credential files with it; these tests use none."""
import contextlib

LOCK_EX, LOCK_SH, LOCK_NB = 1, 2, 4


@contextlib.contextmanager
def Lock(path, mode="r", timeout=None, fail_when_locked=False, flags=None, **kwargs):
    with open(path, mode) as f:
        yield f
