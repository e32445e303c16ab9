"""Python 3.12 behaviour deriva-ml v1.34.0 relies on, for Python 3.11 (the newest these machines have).

- itertools.batched, which it calls at import;
- pathlib.Path subclasses with constructors of their own (its AssetFilePath): 3.12 builds the
  path from the first argument and runs the subclass's __init__; 3.11 has no such protocol.
Nothing here changes deriva-ml's code; on Python 3.12 and later this module does nothing.
"""
import sys

if sys.version_info < (3, 12):
    import inspect
    import itertools
    import os
    import pathlib

    def batched(iterable, n):
        if n < 1:
            raise ValueError("n must be at least one")
        iterator = iter(iterable)
        while batch := tuple(itertools.islice(iterator, n)):
            yield batch

    itertools.batched = batched

    def _accepts_arguments(self, *args, **kwargs):
        """3.12's PurePath.__init__ takes the path's segments; 3.11's is object's, which takes none."""

    pathlib.PurePath.__init__ = _accepts_arguments

    def _init_subclass(cls, **kwargs):
        if "_flavour" not in vars(cls):
            cls._flavour = pathlib._windows_flavour if os.name == "nt" else pathlib._posix_flavour
        init = vars(cls).get("__init__")
        if init is None:
            return
        signature = inspect.signature(init)
        first = list(signature.parameters)[1]

        def __new__(klass, *args, **kw):
            bound = signature.bind(None, *args, **kw)
            return klass._from_parts((bound.arguments[first],))

        cls.__new__ = __new__

    pathlib.Path.__init_subclass__ = classmethod(_init_subclass)
