"""The asset registry's verbs on a catalog (AIOS's Assets DB, Pangolin's namespaces, the Asset
Manager's put/get/stream, flowyml's typed assets), and the :class:`Asset` they return."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, Callable, Iterator

from ._http import seg
from ._serialize import load, to_bytes
from ._source import file_md5

#: flowyml's names for what Cairn reads from an asset's bytes (``asset_file_info``)
_INSPECTED = {"num_samples", "num_features", "feature_columns", "column_stats", "framework", "parameters",
              "num_layers", "optimizer", "row_count", "schema", "shape", "dtype", "format", "width", "height"}


class Asset:
    """A registered asset: AIOS's AssetObject (``.raw``) with attributes, its bytes through the cache."""

    def __init__(self, catalog: "RegistryVerbs", raw: dict):
        self.catalog = catalog
        self.raw = raw

    id = property(lambda self: self.raw.get("asset_id"))
    name = property(lambda self: self.raw.get("asset_name"))
    uri = property(lambda self: self.raw.get("asset_uri"))
    namespace = property(lambda self: self.raw.get("asset_namespace") or "")
    #: the asset_uri with its namespace: what names this one version anywhere in the catalog
    ref = property(lambda self: f"{self.namespace}/{self.uri}" if self.namespace else self.uri)
    kind = property(lambda self: self.raw.get("asset_kind"))
    metadata = property(lambda self: self.raw.get("asset_metadata") or {})
    tags = property(lambda self: self.raw.get("asset_tags") or [])
    file_info = property(lambda self: self.raw.get("asset_file_info") or {})
    description = property(lambda self: self.raw.get("asset_description") or "")
    version = property(lambda self: (self.raw.get("asset_version") or {}).get("version"))
    tag = property(lambda self: (self.raw.get("asset_version") or {}).get("tag") or "")
    metrics = property(lambda self: self.raw.get("metrics") or {})

    def __getattr__(self, name: str) -> Any:
        if name in _INSPECTED:
            return self.file_info.get(name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.namespace + '/' if self.namespace else ''}{self.uri} ({self.id})>"

    @property
    def path(self) -> Path:
        """The bytes as a local file (cached; read-only)."""
        return self.download()

    def download(self, to: str | None = None) -> Path:
        from ._store import place
        if self.raw.get("url") is None and "url" not in self.raw:
            self.raw.update(self.catalog._registry_get(self.id))
        url = self.raw.get("url") or f"/aios/{self.catalog.id}/asset-object/{seg(self.id)}"
        blob = self.catalog.store.fetch(url, sha256=self.file_info.get("sha256"))
        return place(blob, to, self.file_info.get("filename") or self.name)

    def load(self) -> Any:
        """The object the bytes hold: a DataFrame, an array, a dict... (see ``cairn._serialize.load``)."""
        return load(self.path, self.file_info.get("filename"))

    def stream(self, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        return self.catalog.stream(self.id, chunk_size=chunk_size)

    def lineage(self, direction: str = "both", depth: int | None = None) -> dict:
        return self.catalog.lineage(self.id, direction=direction, depth=depth)


class RegistryVerbs:
    """Mixed into :class:`cairn.Catalog`; needs ``http``, ``store`` and ``id``."""

    _validators: list[Callable[[Path | None, dict], None]]

    @property
    def _aios(self) -> str:
        return f"/aios/{self.id}"

    @property
    def _registry(self) -> str:
        return f"/api/catalogs/{self.id}/registry"

    def register_validator(self, validator: Callable[[Path | None, dict], None]) -> None:
        """A check run before every :meth:`put` on this catalog object, with the local file (or None)
        and the registration; it raises to refuse, and nothing is sent (the Asset Manager's hook)."""
        self._validators.append(validator)

    # -- writing ---------------------------------------------------------------------------------
    def put(self, name: str, obj_or_path: Any = None, version: str | None = None, *, kind: str | None = None,
            metadata: dict | None = None, tags: list | None = None, namespace: str | None = None,
            description: str | None = None, tag: str | None = None, specs: list | None = None,
            provenance: dict | None = None, parents: list | None = None, relationships: dict | None = None,
            lineage: dict | None = None, metrics: dict | None = None, declarative_schema: str | None = None,
            access_control: dict | None = None, execution: str | None = None, step: str | None = None,
            url: str | None = None, filename: str | None = None) -> Asset:
        """Registers a new version of ``name``: a file path, bytes, a stream, or an object (a DataFrame
        goes as Parquet, an array as .npy, a dict as JSON), or only metadata (``obj_or_path`` None,
        optionally ``url`` of bytes kept elsewhere). Without ``version`` the server gives the next one.
        Validation (``specs``, ``declarative_schema``) happens before anything is stored; a refusal
        raises :class:`cairn.ValidationFailed` with every violation in ``errors``."""
        body: dict[str, Any] = {"asset_name": name}
        if version is not None or tag is not None:
            body["asset_version"] = {"version": version, "tag": tag or ""} if version else {"tag": tag}
        for field, value in (("asset_kind", kind), ("asset_metadata", metadata), ("asset_tags", tags),
                             ("asset_namespace", namespace), ("asset_description", description),
                             ("specs", specs), ("provenance", provenance), ("parents", parents),
                             ("relationships", relationships), ("lineage", lineage), ("metrics", metrics),
                             ("declarative_schema", declarative_schema), ("access_control", access_control),
                             ("execution", execution), ("step", step), ("asset_public_url", url)):
            if value is not None:
                body[field] = list(value) if isinstance(value, tuple) else value
        if obj_or_path is None:
            for check in self._validators:
                check(None, body)
            return Asset(self, self.http.json("POST", f"{self._aios}/asset", body))
        data, file_name, content_type = to_bytes(obj_or_path, filename or name)
        file_name = filename or file_name
        local = Path(data) if isinstance(data, (str, Path)) else None
        for check in self._validators:
            check(local, body)
        if local is not None and local.stat().st_size > self.store.chunk_threshold:
            # large: the bytes go up as a resumable chunked job, then are registered by their version
            md5 = file_md5(local).hex()
            body["asset_public_url"] = self.store.put(
                f"/hatrac/{self.id}/deriva-ml/Registered_Asset/{md5}.{file_name}", local,
                content_type=content_type, filename=file_name)
            return Asset(self, self.http.json("POST", f"{self._aios}/asset", body))
        stream = open(local, "rb") if local is not None else (io.BytesIO(data) if isinstance(data, bytes) else data)
        with stream:
            files = {"asset": (file_name, stream, content_type),
                     "asset_metadata": (None, json.dumps(body), "application/json")}
            response = self.http.request("POST", f"{self._aios}/upload_asset", files=files)
        return Asset(self, response.json())

    def update(self, ref: str, **fields: Any) -> Asset:
        """Changes an asset's ``asset_metadata``, ``asset_tags``, ``asset_kind``, ``asset_description``,
        ``metrics``, ``provenance`` or ``access_control`` (AIOS's field names)."""
        return Asset(self, self.http.json("PUT", f"{self._aios}/asset/{_uri_path(self.resolve(ref))}", fields))

    def delete(self, ref: str, force: bool = False) -> None:
        self.http.request("DELETE", f"{self._aios}/asset/{_uri_path(self.resolve(ref))}",
                          params={"force": "true"} if force else None)

    def alias(self, name: str, alias: str, ref: str, namespace: str | None = None) -> dict:
        """Points ``name:alias`` (e.g. ``production``) at the asset ``ref``; every move is recorded."""
        target = self.resolve(ref).id
        return self.http.json("PUT", f"{self._registry}/names/{seg(name)}/aliases/{seg(alias)}",
                              {"asset_id": target}, params=_ns(namespace))

    def annotate(self, ref: str, note: str) -> dict:
        return self.http.json("POST", f"{self._registry}/assets/{seg(self.resolve(ref).id)}/annotations",
                              {"note": note})

    def relate(self, ref: str, relationship: str, related: str) -> dict:
        """Records that ``ref`` is ``relationship`` (trained_on, derived_from, ...) ``related``: a lineage edge."""
        return self.http.json("POST", f"{self._registry}/assets/{seg(self.resolve(ref).id)}/relationships",
                              {"relationship": relationship, "related_asset": self.resolve(related).id})

    def log_metrics(self, name: str, metrics: dict, *, namespace: str | None = None, execution: str | None = None,
                    step: str | None = None, parents: list | None = None, **fields: Any) -> Asset:
        """Records numbers (accuracy, loss...) as a Metrics asset, comparable across versions."""
        return self.put(name, None, kind="Metrics", metrics=metrics, namespace=namespace, execution=execution,
                        step=step, parents=parents, **fields)

    def write_table(self, df: Any, name: str, namespace: str | None = None, *, format: str = "parquet",
                    version: str | None = None, compression: str | None = None, location: str | None = None) -> Asset:
        """A pandas DataFrame (or a list of dicts, or a dict of columns) as a CSV or Parquet table asset."""
        params = {"name": name, "format": format, "namespace": namespace, "version": version,
                  "compression": compression, "location": location}
        params = {k: v for k, v in params.items() if v is not None}
        if type(df).__module__.split(".")[0] == "pandas":
            try:
                buffer = io.BytesIO()
                df.to_parquet(buffer, index=False)
                data, content_type = buffer.getvalue(), "application/vnd.apache.parquet"
            except ImportError:
                data, content_type = df.to_csv(index=False).encode(), "text/csv"
        else:
            data, content_type = json.dumps(df).encode(), "application/json"
        response = self.http.request("POST", f"{self._registry}/tables", params=params, data=data,
                                     headers={"Content-Type": content_type})
        return Asset(self, response.json())

    def read_table(self, ref: str) -> Any:
        """A table asset as a pandas DataFrame (read as Parquet, streamed through the cache)."""
        import pandas
        asset = self.resolve(ref)
        url = f"{self._registry}/assets/{seg(asset.id)}/data?format=parquet"
        return pandas.read_parquet(self.store.fetch(url))

    # -- reading ---------------------------------------------------------------------------------
    def resolve(self, ref: str) -> Asset:
        """The asset a reference names: an ``asset_id``, ``[namespace/]name``, ``name:version[-tag]``,
        ``name:alias``, ``name:latest``, each optionally followed by ``@snapshot-<snaptime>`` or ``@YYYY-MM-DD``."""
        if isinstance(ref, Asset):
            return ref
        return Asset(self, self.http.get(f"{self._registry}/resolve", ref=ref))

    def get(self, ref: str, version: str | None = None, to: str | None = None) -> Asset:
        """The asset, with its bytes fetched through the local cache (a cached version moves no bytes)."""
        asset = self.resolve(f"{ref}:{version}" if version else ref)
        if asset.raw.get("url") or asset.file_info.get("sha256"):
            asset.download(to)
        return asset

    def _registry_get(self, asset_id: str) -> dict:
        return self.http.get(f"{self._registry}/assets/{seg(asset_id)}")

    def stream(self, ref: str, version: str | None = None, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        """The bytes in blocks, as they arrive (a lost connection resumes with Range)."""
        asset = self.resolve(f"{ref}:{version}" if version else ref)
        with self.store.open(asset.raw.get("url") or f"{self._aios}/asset-object/{seg(asset.id)}") as f:
            yield from iter(lambda: f.read(chunk_size), b"")

    def find(self, query: dict | None = None, q: str | None = None, *, limit: int | None = None,
             **filters: Any) -> list[Asset]:
        """Assets matching a Mongo-style ``query`` (``{"asset_tags": {"$in": [...]}, ...}``), or a
        ranked keyword search ``q`` with ``filters`` (kind, namespace, tag, name, any metadata key)."""
        if q is not None or filters:
            params = {"q": q, "limit": limit, **filters}
            found = self.http.get(f"{self._registry}/search", **params)
            rows = found.get("results", found) if isinstance(found, dict) else found
            return [Asset(self, r) for r in rows]
        rows, after = [], None
        page = min(limit or 1000, 1000)
        while True:
            params = {"limit": page, "after": after}
            chunk = self.http.json("POST", f"{self._aios}/assets", query or {},
                                   params={k: v for k, v in params.items() if v is not None})
            rows.extend(chunk)
            if len(chunk) < page or (limit and len(rows) >= limit):
                return [Asset(self, r) for r in rows[:limit] if r]
            after = chunk[-1]["asset_id"]

    def list_versions(self, name: str, namespace: str | None = None) -> list[dict]:
        """Every version of a name, newest first (semver-aware)."""
        return self.http.get(f"{self._registry}/names/{seg(name)}/versions", **_ns(namespace))

    def namespaces(self, under: str | None = None) -> list[dict]:
        return self.http.get(f"{self._registry}/namespaces", under=under)

    def compare_metrics(self, name: str | None = None, namespace: str | None = None,
                        names: list | None = None, assets: list | None = None) -> Any:
        return self.http.get(f"{self._registry}/metrics", name=name, namespace=namespace,
                             names=",".join(names) if names else None,
                             assets=",".join(assets) if assets else None)


def _uri_path(asset: Asset) -> str:
    """AIOS's address of an asset: its namespace's segments, then its asset_uri, each escaped."""
    return "/".join(seg(part) for part in asset.ref.split("/"))


def _ns(namespace: str | None) -> dict:
    return {"namespace": namespace} if namespace is not None else {}

