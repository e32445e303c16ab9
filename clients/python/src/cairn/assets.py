"""flowyml's typed assets over Cairn's registry::

    cairn.use(cairn.connect().catalog("ml"))          # or $CAIRN_CATALOG
    ds = Dataset.create(data=df, name="training_data", source="s3://bucket/data.csv")
    ds.num_samples, ds.feature_columns, ds.column_stats  # read by the server from the bytes
    model = Model.create(data="model.safetensors", name="resnet50_finetuned", parents=[ds])
    Metrics.create(name="eval", accuracy=0.95, f1_score=0.92, parents=[model])

``data`` is what flowyml calls the asset's interface: a DataFrame, an array, a dict or list of
dicts, a file path or bytes. Keyword arguments that are not Cairn's fields become metadata.
"""

from __future__ import annotations

import os
from typing import Any

from ._registry import Asset

_default = None


def use(catalog) -> None:
    """The catalog that typed assets are created in when none is given."""
    global _default
    _default = catalog


def default_catalog():
    global _default
    if _default is None:
        name = os.environ.get("CAIRN_CATALOG")
        if not name:
            raise RuntimeError("No catalog: call cairn.use(catalog), or set CAIRN_CATALOG")
        from ._client import connect
        _default = connect().catalog(name)
    return _default


_FIELDS = {"version", "namespace", "tags", "description", "specs", "provenance", "relationships", "lineage",
           "declarative_schema", "access_control", "execution", "step", "tag", "filename", "url"}


class TypedAsset(Asset):
    kind = "Asset"

    @classmethod
    def create(cls, data: Any = None, name: str | None = None, *, catalog=None, parents: list | None = None,
               **properties: Any) -> "TypedAsset":
        if not name:
            raise ValueError(f"A {cls.kind} needs a name")
        catalog = catalog or default_catalog()
        fields = {k: properties.pop(k) for k in list(properties) if k in _FIELDS}
        if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
            data = _frame(data)
        elif isinstance(data, dict) and cls.kind == "Dataset" and all(isinstance(v, list) for v in data.values()):
            data = _frame(data)
        metrics = properties.pop("metrics", None)
        asset = catalog.put(name, data, kind=cls.kind, metadata=properties or None, metrics=metrics,
                            parents=[p.id if isinstance(p, Asset) else p for p in parents or []] or None, **fields)
        # the registry's view adds what the upload's answer lacks: metrics, parents, children, producer
        return cls(catalog, {**asset.raw, **catalog._registry_get(asset.id)})

    @classmethod
    def from_csv(cls, path: str, name: str, **kwargs: Any) -> "TypedAsset":
        return cls.create(data=path, name=name, **kwargs)

    from_parquet = from_csv

    # the kind is the class's, not the row's: keep Asset's reading of the row available
    @property
    def asset_kind(self) -> str:
        return self.raw.get("asset_kind")


class Dataset(TypedAsset):
    kind = "Dataset"


class Model(TypedAsset):
    kind = "Model"


class FeatureSet(TypedAsset):
    kind = "FeatureSet"


class Metrics(TypedAsset):
    """Numbers, comparable across versions: ``Metrics.create(name="eval", accuracy=0.9, loss=0.1)``."""

    kind = "Metrics"

    @classmethod
    def create(cls, data: Any = None, name: str | None = None, *, catalog=None, parents: list | None = None,
               **values: Any) -> "Metrics":
        fields = {k: values.pop(k) for k in list(values) if k in _FIELDS}
        numbers = dict(data or {}, **{k: v for k, v in values.items() if isinstance(v, (int, float))})
        metadata = {k: v for k, v in values.items() if not isinstance(v, (int, float))}
        return super().create(None, name or "metrics", catalog=catalog, parents=parents, metrics=numbers,
                              **metadata, **fields)

    def __getattr__(self, name: str) -> Any:
        if name in self.metrics:
            return self.metrics[name]
        return super().__getattr__(name)


def _frame(data: Any):
    try:
        import pandas
    except ImportError:
        raise TypeError("Rows or columns need pandas installed; or pass a file path") from None
    return pandas.DataFrame(data)
