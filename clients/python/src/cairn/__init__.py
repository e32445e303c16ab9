"""Cairn from Python: catalogs, files, DerivaML's executions and datasets, the asset registry.

    import cairn
    client = cairn.connect()                  # $CAIRN_URL, $CAIRN_TOKEN, or what `cairn login` stored
    cat = client.catalog("ml")                # by name or id
    cat.put("resnet", "model.pt", kind="Model", tags=["vision"])
    cat.get("resnet:latest").path             # cached by SHA-256, revalidated by ETag

Every refusal raises a :class:`CairnError` subclass named for its problem code (see :mod:`cairn.errors`).
"""

from . import errors
from ._bag import validate as validate_bag
from ._client import Catalog, Client, connect
from ._dataset import MLDataset
from ._execution import Execution
from ._registry import Asset
from ._store import RemoteFile, Store
from .assets import Dataset, FeatureSet, Metrics, Model, use
from .errors import *  # noqa: F401,F403  the exception classes, by code

__version__ = "0.3.0"

__all__ = ["connect", "Client", "Catalog", "Store", "RemoteFile", "Asset", "Execution", "MLDataset",
           "Dataset", "Model", "Metrics", "FeatureSet", "use", "validate_bag", "errors", "__version__"] + [
    name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, errors.CairnError)]
