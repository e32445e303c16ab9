"""DerivaML's execution, as its users write it::

    with cat.execution(workflow, datasets=[...], assets=[...]) as exe:
        exe.download_inputs()
        path = exe.asset_file_path("Image", "mask.png", types=["Segmentation_Mask"])
        save(mask, path)
    # on a clean exit: staged files uploaded (a retry skips what is already there), the execution
    # stopped and its outputs committed in one server-side transaction; on an exception: Failed,
    # and the files stay in exe.working_dir
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tarfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

from . import errors
from ._http import seg
from ._source import file_md5


#: from this many files of one kind (asset table, types, description) on, outputs go as one tar archive
ARCHIVE_FROM = 16


def default_work_root() -> Path:
    return Path(os.environ.get("CAIRN_WORK_DIR") or Path.home() / "cairn-work")


class Execution:
    """One run of a workflow. Created on the server by :meth:`start` (or entering ``with``)."""

    def __init__(self, catalog, workflow: Any, datasets: list | None = None, assets: list | None = None,
                 description: str | None = None, working_dir: str | os.PathLike | None = None,
                 rid: str | None = None):
        self.catalog = catalog
        self.workflow = workflow.get("RID") if isinstance(workflow, dict) else workflow
        self.datasets = [_dataset_spec(d) for d in (datasets or [])]
        self.assets = [a.get("RID") if isinstance(a, dict) else getattr(a, "id", a) for a in (assets or [])]
        self.description = description
        self.rid = rid
        self.working_dir = Path(working_dir) if working_dir else default_work_root() / f"{catalog.id}-{uuid.uuid4().hex[:12]}"
        self.working_dir.mkdir(parents=True, exist_ok=True)
        self._manifest = self.working_dir / "outputs.json"
        self._outputs: dict[str, dict] = json.loads(self._manifest.read_text()) if self._manifest.is_file() else {}

    def __repr__(self) -> str:
        return f"<Execution {self.rid or '(not started)'} in {self.working_dir}>"

    @property
    def _path(self) -> str:
        if not self.rid:
            raise errors.ClientError("The execution has not started: call start() or enter it with 'with'")
        return f"/api/catalogs/{self.catalog.id}/executions/{seg(self.rid)}"

    # -- the state machine -----------------------------------------------------------------------
    def start(self) -> "Execution":
        http = self.catalog.http
        if self.rid is None:
            body = {"workflow": self.workflow, "description": self.description,
                    "datasets": self.datasets, "assets": self.assets}
            created = http.json("POST", f"/api/catalogs/{self.catalog.id}/executions",
                                {k: v for k, v in body.items() if v is not None})
            self.rid = created["RID"]
            (self.working_dir / "execution.json").write_text(json.dumps({"rid": self.rid, "catalog": self.catalog.id}))
        if self.info()["Status"] == "Created":
            self._status("Running")
        return self

    def __enter__(self) -> "Execution":
        return self.start()

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None:
            self.upload_outputs()
        else:
            self.fail(exc)
        return False

    def info(self) -> dict:
        """The execution's document; it lists the first 1,000 assets and staged files, with
        ``Asset_Count`` and ``Staged_Count`` (all assets: :meth:`list_assets`)."""
        return self.catalog.http.get(self._path)

    def list_assets(self, role: str | None = None) -> Iterator[dict]:
        """Every asset the execution used (``role="Input"``) or produced (``"Output"``), or both, by RID."""
        return self.catalog.http.pages(self._path + "/assets", {"role": role} if role else {})

    @property
    def status(self) -> str:
        return self.info()["Status"]

    def _status(self, status: str, detail: str | None = None) -> dict:
        body = {"status": status} if detail is None else {"status": status, "detail": detail}
        return self.catalog.http.json("PUT", self._path + "/status", body)

    def fail(self, exc: BaseException | str) -> None:
        """Marks the execution Failed with the reason; the staged files stay in the working folder."""
        detail = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        if self.rid and self.status in ("Created", "Running"):
            self._status("Failed", detail[:2000])

    def add_inputs(self, assets: list) -> dict:
        return self.catalog.http.json("POST", self._path + "/inputs", {"assets": list(assets)})

    # -- outputs -------------------------------------------------------------------------------------
    def asset_file_path(self, asset_name: str, file_name: str, types: list | None = None, *,
                        asset_types: list | None = None, description: str | None = None,
                        copy_file: bool = False, rename_file: str | None = None) -> Path:
        """A local path in the working folder where the caller writes an output of asset table
        ``asset_name``; it is uploaded with the execution's outputs. ``file_name`` may name an existing
        file, which is then linked (or copied, ``copy_file``) there, under ``rename_file`` if given."""
        source = Path(file_name)
        name = rename_file or source.name
        if not name or name in (".", "..") or "/" in name or "\\" in name:
            raise errors.ClientError(f"'{name}' is not a file name")
        target = self.working_dir / "outputs" / asset_name / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_file() and (source.is_absolute() or len(source.parts) > 1):
            target.unlink(missing_ok=True)
            if copy_file:
                shutil.copyfile(source, target)
            else:
                os.symlink(source.resolve(), target)
        self._outputs[f"{asset_name}/{name}"] = {"table": asset_name, "filename": name,
                                                 "types": list(types or asset_types or []), "description": description}
        self._manifest.write_text(json.dumps(self._outputs, indent=1))
        return target

    def upload_outputs(self, clean: bool = True) -> dict:
        """Sends every file given by :meth:`asset_file_path` (one already on the server with the same
        MD5 is not sent again, so a retry after a failure resumes), stops the execution, and commits:
        the server adds every asset row and its provenance in one transaction. Returns the execution."""
        http = self.catalog.http
        if self.status == "Running":
            self._status("Stopped")
        staged = {(s["assetTable"], s["filename"]): s["md5"] for s in http.get(self._path + "/outputs")}
        kinds: dict[tuple, list] = {}  # outputs still to send, by table, types and description
        for output in self._outputs.values():
            path = self.working_dir / "outputs" / output["table"] / output["filename"]
            if not path.is_file():
                raise errors.ClientError(f"{path} was registered with asset_file_path but never written")
            md5 = file_md5(path)
            if staged.get((output["table"], output["filename"])) != md5.hex():
                kind = (output["table"], tuple(output["types"]), output.get("description"))
                kinds.setdefault(kind, []).append((output, path, md5))
        archived: dict[tuple, str] = {}
        for (table, types, description), outputs in kinds.items():
            params = [("type", t) for t in types] + ([("description", description)] if description else [])
            if len(outputs) >= ARCHIVE_FROM:
                self._send_archive(table, [(o["filename"], path) for o, path, _ in outputs], params)
                archived.update({(table, o["filename"]): md5.hex() for o, _, md5 in outputs})
                continue
            for output, path, md5 in outputs:
                with open(path, "rb") as f:
                    http.request("PUT", f"{self._path}/outputs/{seg(table)}/{seg(output['filename'])}",
                                 data=f, params=params, headers={"Content-MD5": base64.b64encode(md5).decode(),
                                                                 "Content-Type": "application/octet-stream"})
                http.stats.bytes_sent += path.stat().st_size
        if archived:  # an archive carries no checksum per file: compare what arrived
            arrived = {(s["assetTable"], s["filename"]): s["md5"] for s in http.get(self._path + "/outputs")}
            changed = sorted(key[1] for key, md5 in archived.items() if arrived.get(key) != md5)
            if changed:
                raise errors.ClientError(f"{len(changed)} files arrived with another MD5 (first: {changed[0]}); "
                                         "upload the outputs again")
        result = self._commit()
        if clean:
            shutil.rmtree(self.working_dir / "outputs", ignore_errors=True)
            self._manifest.unlink(missing_ok=True)
            self._outputs = {}
        return result

    #: deriva-ml's name for it
    upload_execution_outputs = upload_outputs

    def _send_archive(self, table: str, files: list, params: list) -> None:
        """Stages many files in one request: a tar archive, written by a thread while it is sent."""
        http = self.catalog.http
        read_end, write_end = os.pipe()
        failure: list[BaseException] = []

        def write() -> None:
            try:
                with os.fdopen(write_end, "wb") as out, tarfile.open(fileobj=out, mode="w|", dereference=True) as tar:
                    for name, path in files:
                        tar.add(path, arcname=name, recursive=False)
            except BaseException as e:  # the server then sees a broken archive and stages nothing
                failure.append(e)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        try:
            with os.fdopen(read_end, "rb") as body:
                http.request("POST", f"{self._path}/outputs/{seg(table)}", data=body, params=params,
                             headers={"Content-Type": "application/x-tar"})
        finally:
            writer.join()
        if failure:
            raise errors.ClientError(f"the archive of {table} outputs could not be written: {failure[0]}")
        http.stats.bytes_sent += sum(path.stat().st_size for _, path in files)

    def _commit(self) -> dict:
        http = self.catalog.http
        response = http.request("POST", self._path + "/commit")
        info = response.json()
        while info.get("Status") != "Uploaded":
            commit = info.get("Commit") or {}
            if commit.get("error") or commit.get("state") == "failed":
                raise errors.ClientError(f"The commit of {self.rid} failed: {commit.get('error') or info.get('Status_Detail')}")
            time.sleep(0.5)
            info = self.info()
        return info

    # -- inputs --------------------------------------------------------------------------------------
    def download_inputs(self, to: str | os.PathLike | None = None, materialize: bool = True) -> dict:
        """Fetches the execution's inputs as they were pinned: each dataset's bag at its version, and
        each input asset's file at its versioned URL. Returns ``{"datasets": {rid: bag folder},
        "assets": {rid: file}}``, under ``to`` (default: the working folder's ``inputs``)."""
        return download_inputs(self.catalog, self.info(), Path(to) if to else self.working_dir / "inputs", materialize)


def download_inputs(catalog, info: dict, to: Path, materialize: bool = True) -> dict:
    fetched: dict[str, dict] = {"datasets": {}, "assets": {}}
    for d in info.get("Dataset_Versions") or []:
        bag = catalog.dataset(d["Dataset"]).download_bag(d.get("Version"), materialize=materialize, to=to / "datasets")
        fetched["datasets"][d["Dataset"]] = bag
    from ._store import place
    inputs = catalog.http.pages(f"{catalog._api}/executions/{seg(info['RID'])}/assets", {"role": "Input"})
    for a in inputs:
        if not a.get("URL"):
            continue
        blob = catalog.store.fetch(a["URL"])
        if a.get("MD5") and file_md5(blob).hex() != a["MD5"]:
            raise errors.IntegrityError(f"Input asset {a['RID']}: the file's MD5 is not the catalog's")
        folder = to / "assets" / a["table"] / a["RID"]
        folder.mkdir(parents=True, exist_ok=True)
        fetched["assets"][a["RID"]] = place(blob, folder, a.get("Filename") or a["RID"])
    return fetched


def _dataset_spec(d: Any) -> dict:
    if isinstance(d, str):
        return {"rid": d}
    if isinstance(d, dict):
        return {"rid": d.get("rid") or d.get("RID"), **({"version": d["version"]} if d.get("version") else {})}
    return {"rid": d.rid}

