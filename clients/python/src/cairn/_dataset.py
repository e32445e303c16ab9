"""A DerivaML dataset: members, versions, releases, and its bag for any version."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from . import _bag
from ._http import seg


class MLDataset:
    """A dataset of a catalog (DerivaML's ``Dataset`` table), by RID."""

    def __init__(self, catalog, rid: str):
        self.catalog = catalog
        self.rid = rid

    @property
    def _path(self) -> str:
        return f"/api/catalogs/{self.catalog.id}/datasets/{seg(self.rid)}"

    def __repr__(self) -> str:
        return f"<MLDataset {self.rid}>"

    def info(self) -> dict:
        return self.catalog.http.get(self._path)

    @property
    def current_version(self) -> str:
        return self.info().get("Current_Version")

    def add_members(self, members: list | dict) -> dict:
        """Adds rows (bare RIDs, or ``{"Table": [rids]}``); the dataset's dev version moves on."""
        return self.catalog.http.json("POST", self._path + "/members", {"members": members})

    def remove_members(self, members: list | dict) -> dict:
        return self.catalog.http.json("POST", self._path + "/members/remove", {"members": members})

    def members(self, table: str | None = None, version: str | None = None, recurse: bool = False) -> Any:
        """Counts per element type, or with ``table`` that table's member rows (every page)."""
        if table is None:
            return self.catalog.http.get(self._path + "/members", version=version)
        params = {"table": table, "version": version, "recurse": "true" if recurse else None, "limit": 1000}
        rows = []
        while True:
            page = self.catalog.http.get(self._path + "/members", **params)
            rows.extend(page["rows"])
            if not page.get("next"):
                return rows
            params["after"] = page["next"]

    def release(self, bump: str = "minor", description: str | None = None, execution: str | None = None) -> dict:
        body = {"bump": bump, "description": description, "execution": execution}
        return self.catalog.http.json("POST", self._path + "/release", {k: v for k, v in body.items() if v})

    def versions(self) -> list[dict]:
        return self.catalog.http.get(self._path + "/versions")

    def diff(self, from_version: str, to_version: str | None = None) -> dict:
        return self.catalog.http.get(self._path + "/diff", **{"from": from_version, "to": to_version})

    def download_bag(self, version: str | None = None, materialize: bool = True, to: str | os.PathLike | None = None,
                     progress: bool | None = None) -> Path:
        """The bag of a version (``None``: the current state) unpacked under ``to`` (default: the current
        folder); returns its folder. With ``materialize`` every asset file is in it (any ``fetch.txt``
        entry is fetched with this client's credential); without, asset files stay listed in
        ``fetch.txt``. The zip is streamed to disk and resumed with Range if the connection breaks, and
        every file present is checked against the manifests (:class:`cairn.IntegrityError` if one fails)."""
        params = {"version": version, "materialize": "true" if materialize else "false"}
        url = self._path + "/bag?" + "&".join(f"{k}={seg(v)}" for k, v in params.items() if v)
        http = self.catalog.http
        to = Path(to) if to else Path.cwd()
        to.mkdir(parents=True, exist_ok=True)
        fd, archive = tempfile.mkstemp(suffix=".zip", dir=to)
        os.close(fd)
        try:
            from ._store import RemoteFile
            from ._progress import bar
            with RemoteFile(http, url) as reader, open(archive, "wb") as out:
                meter = bar(reader.length, f"bag {self.rid}", progress)
                for block in iter(lambda: reader.read(1 << 20), b""):
                    out.write(block)
                    meter.update(len(block))
                meter.close()
            with tempfile.TemporaryDirectory(dir=to) as scratch:
                unpacked = _bag.unpack(Path(archive), Path(scratch))
                bag = _bag.replace_dir(unpacked, to / unpacked.name)
        finally:
            Path(archive).unlink(missing_ok=True)
        if materialize:
            _bag.fill_holes(http, bag)
        _bag.validate(bag, holes_allowed=not materialize)
        return bag
