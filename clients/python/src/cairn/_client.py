"""Connecting: the client (catalogs, the object store) and a catalog (DerivaML's verbs and the registry's)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Iterator

from . import errors
from ._cache import Cache
from ._dataset import MLDataset
from ._execution import Execution, download_inputs
from ._http import Http, seg
from ._registry import RegistryVerbs
from ._store import Store

DEFAULT_URL = "http://localhost:8080"


def credentials_file() -> Path:
    """Where ``cairn login`` keeps tokens, by server URL (mode 0600)."""
    base = os.environ.get("CAIRN_CONFIG_DIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config"), "cairn")
    return Path(base) / "credentials.json"


def read_credentials() -> dict:
    try:
        return json.loads(credentials_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def write_credentials(url: str, entry: dict | None) -> None:
    path = credentials_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    everything = read_credentials()
    if entry is None:
        everything.pop(url, None)
    else:
        everything[url] = entry
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w") as f:
        json.dump(everything, f, indent=2)
    os.replace(tmp, path)


def connect(url: str | None = None, token: str | None = None, *, cache_dir: str | None = None,
            chunk_threshold: int | None = None, chunk_size: int | None = None, timeout: float = 300.0) -> "Client":
    """A client of the Cairn at ``url`` (else ``$CAIRN_URL``, else the only server in the credentials
    file, else http://localhost:8080), with ``token`` (else ``$CAIRN_TOKEN``, else the one ``cairn login``
    stored for that URL; else anonymous)."""
    saved = read_credentials()
    url = (url or os.environ.get("CAIRN_URL") or (next(iter(saved)) if len(saved) == 1 else None) or DEFAULT_URL).rstrip("/")
    token = token or os.environ.get("CAIRN_TOKEN") or (saved.get(url) or {}).get("token")
    client = Client(Http(url, token, timeout=timeout), Cache(cache_dir))
    if chunk_threshold is not None:
        client.store.chunk_threshold = chunk_threshold
    if chunk_size is not None:
        client.store.chunk_size = chunk_size
    return client


class Client:
    """A connection to one Cairn: its catalogs, and files in its object store (``put``, ``get``, ``open``)."""

    def __init__(self, http: Http, cache: Cache):
        self.http = http
        self.cache = cache
        self.store = Store(http, cache)

    @property
    def url(self) -> str:
        return self.http.url

    @property
    def stats(self):
        return self.http.stats

    def whoami(self) -> dict:
        """The session's client and attributes (``/authn/session``); 401 when anonymous."""
        return self.http.get("/authn/session")

    # -- catalogs ----------------------------------------------------------------------------------
    def catalogs(self) -> list[dict]:
        return self.http.get("/api/catalogs")

    def catalog(self, name_or_id: str | int) -> "Catalog":
        """A catalog by its name or id (404 :class:`cairn.NotFound` if none, or not visible)."""
        return Catalog(self, self.http.get(f"/api/catalogs/{seg(name_or_id)}"))

    def create_catalog(self, name: str | None = None, domain_schema: str | None = None,
                       description: str | None = None) -> "Catalog":
        body = {"name": name, "domainSchema": domain_schema, "description": description}
        return Catalog(self, self.http.json("POST", "/api/catalogs", {k: v for k, v in body.items() if v}))

    # -- files --------------------------------------------------------------------------------------
    def put(self, path: str, data: Any, **kwargs: Any) -> str:
        """A new version of the object at ``path`` (``/hatrac/...``); see :meth:`cairn.Store.put`."""
        return self.store.put(path, data, **kwargs)

    def get(self, path: str, to: str | None = None, version: str | None = None, **kwargs: Any) -> Path:
        return self.store.get(path, to=to, version=version, **kwargs)

    def open(self, path: str, version: str | None = None):
        return self.store.open(path, version)


class Catalog(RegistryVerbs):
    """One catalog: DerivaML's tables, vocabularies, workflows, executions, datasets and lineage, and
    the asset registry's verbs (put, get, find... from :class:`cairn._registry.RegistryVerbs`)."""

    def __init__(self, client: Client, info: dict):
        self.client = client
        self.http = client.http
        self.store = client.store
        self.info = info
        self.id = str(info["id"])
        self.name = info.get("name")
        self._validators = []

    def __repr__(self) -> str:
        return f"<Catalog {self.id}{' ' + self.name if self.name else ''}>"

    @property
    def _api(self) -> str:
        return f"/api/catalogs/{self.id}"

    # -- ERMrest --------------------------------------------------------------------------------------
    def ermrest(self, path: str, **params: Any) -> Any:
        """A GET of an ERMrest path of this catalog, e.g. ``entity/demo:Image/Length::gt::1000``."""
        return self.http.get(f"/ermrest/catalog/{self.id}/{path.lstrip('/')}", **params)

    # -- vocabularies and tables ------------------------------------------------------------------------
    def create_vocabulary(self, name: str, comment: str | None = None) -> dict:
        return self.http.json("POST", f"{self._api}/vocabularies", _some(name=name, comment=comment))

    def add_term(self, vocabulary: str, name: str, description: str | None = None, synonyms: list | None = None) -> dict:
        return self.http.json("POST", f"{self._api}/vocabularies/{seg(vocabulary)}/terms",
                              _some(name=name, description=description, synonyms=synonyms))

    def terms(self, vocabulary: str) -> list[dict]:
        return self.http.get(f"{self._api}/vocabularies/{seg(vocabulary)}/terms")

    def create_asset_table(self, name: str, columns: list | None = None, referenced_tables: list | None = None,
                           comment: str | None = None) -> dict:
        """An asset table (URL, Filename, Length, MD5, Description, its types and executions)."""
        return self.http.json("POST", f"{self._api}/asset-tables",
                              _some(name=name, columns=columns, referencedTables=referenced_tables, comment=comment))

    #: deriva-ml's name for it
    def create_asset(self, asset_name: str, column_defs: list | None = None, referenced_tables: list | None = None,
                     comment: str | None = None) -> dict:
        return self.create_asset_table(asset_name, column_defs, referenced_tables, comment)

    def list_assets(self, table: str) -> Iterator[dict]:
        """Every row of an asset table, with its ``Asset_Type`` names (paged as it is read)."""
        return self.http.pages(f"{self._api}/asset-tables/{seg(table)}/assets", {})

    def asset(self, rid: str) -> dict:
        """One asset by RID, with the executions that used or produced it."""
        return self.http.get(f"{self._api}/assets/{seg(rid)}")

    def lineage(self, rid: str, direction: str = "both", depth: int | None = None) -> dict:
        """Assets, executions and datasets around ``rid``, with the edges between them:
        ``up`` (where it came from), ``down`` (what was made from it) or ``both``."""
        path = f"{self._api}/assets/{{}}/lineage"
        try:
            return self.http.get(path.format(seg(rid)), direction=direction, depth=depth)
        except (errors.NotFound, errors.BadRequest):
            # not a RID: a registry reference (name, name:version, alias...)
            return self.http.get(path.format(seg(self.resolve(rid).id)), direction=direction, depth=depth)

    # -- workflows and executions -----------------------------------------------------------------------
    def create_workflow(self, name: str, workflow_type: str, url: str | None = None, checksum: str | None = None,
                        version: str | None = None, description: str | None = None) -> dict:
        """A workflow; the same url and checksum give the existing row back."""
        return self.http.json("POST", f"{self._api}/workflows", _some(
            name=name, type=workflow_type, url=url, checksum=checksum, version=version, description=description))

    def execution(self, workflow: Any, datasets: list | None = None, assets: list | None = None,
                  description: str | None = None, working_dir: str | None = None) -> Execution:
        """An execution of ``workflow`` (a RID or a workflow row) over ``datasets`` (RIDs, or
        ``{"rid", "version"}``) and input ``assets``; use it with ``with``."""
        return Execution(self, workflow, datasets, assets, description, working_dir)

    def executions(self) -> list[dict]:
        return self.http.get(f"{self._api}/executions")

    def restore(self, execution: str, to: str | None = None, materialize: bool = True) -> Execution:
        """A new execution with the same workflow, dataset versions and input assets as ``execution``,
        its inputs downloaded exactly as they were pinned (into its working folder, or ``to``), for a re-run."""
        old = self.http.get(f"{self._api}/executions/{seg(execution)}")
        datasets = [{"rid": d["Dataset"], "version": d.get("Version")} for d in old.get("Dataset_Versions") or []]
        inputs = [a["RID"] for a in self.http.pages(f"{self._api}/executions/{seg(execution)}/assets", {"role": "Input"})]
        exe = Execution(self, old["Workflow"], datasets, inputs, f"Re-run of {execution}", working_dir=to)
        exe.inputs = download_inputs(self, old, exe.working_dir / "inputs", materialize)
        return exe

    # -- datasets ----------------------------------------------------------------------------------------
    def create_dataset(self, description: str | None = None, types: list | None = None,
                       members: list | dict | None = None) -> MLDataset:
        created = self.http.json("POST", f"{self._api}/datasets", _some(description=description, types=types))
        dataset = MLDataset(self, created["RID"])
        if members:
            dataset.add_members(members)
        return dataset

    def dataset(self, rid: str) -> MLDataset:
        return MLDataset(self, rid)

    def datasets(self) -> list[dict]:
        return self.http.get(f"{self._api}/datasets")

    def add_dataset_element_type(self, table: str) -> dict:
        return self.http.json("POST", f"{self._api}/datasets/element-types", {"table": table})


def _some(**fields: Any) -> dict:
    return {k: v for k, v in fields.items() if v is not None}
