"""BagIt bags of dataset versions: downloaded as a stream that resumes, unpacked, holes in
``fetch.txt`` filled with the client's credential, and every file checked against the manifests."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from . import errors
from ._http import Http

_ALGORITHMS = {"sha512": hashlib.sha512, "sha256": hashlib.sha256, "sha1": hashlib.sha1, "md5": hashlib.md5}


def unpack(archive: Path, to: Path) -> Path:
    """Unzips a bag under ``to``; returns the bag's folder. A member that would land outside is refused."""
    to.mkdir(parents=True, exist_ok=True)
    root = to.resolve()
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        for name in names:
            target = (root / name).resolve()
            if root not in target.parents and target != root:
                raise errors.IntegrityError(f"The bag holds a path outside its folder: {name}")
        z.extractall(root)
    tops = {PurePosixPath(n).parts[0] for n in names if n.strip("/")}
    if len(tops) != 1:
        raise errors.IntegrityError(f"The bag's zip should hold one folder, not {sorted(tops)}")
    return root / tops.pop()


def fill_holes(http: Http, bag: Path, progress=None) -> int:
    """Fetches every ``fetch.txt`` entry not yet present (with the client's credential); returns how many."""
    fetch = bag / "fetch.txt"
    if not fetch.is_file():
        return 0
    fetched = 0
    for line in fetch.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        url, length, path = line.split(None, 2)
        target = _inside(bag, path)
        if target.is_file() and (length == "-" or target.stat().st_size == int(length)):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        with http.request("GET", url, stream=True) as r, open(part, "wb") as out:
            for block in r.iter_content(1 << 20):
                out.write(block)
                http.stats.bytes_received += len(block)
        os.replace(part, target)
        fetched += 1
    return fetched


def validate(bag: Path, holes_allowed: bool = False) -> int:
    """Checks every payload file against every payload manifest (and the tag manifests); returns the
    number of files checked. Raises :class:`cairn.IntegrityError` naming each file that fails or is
    missing; with ``holes_allowed`` a file listed in ``fetch.txt`` may be absent."""
    manifests = sorted(bag.glob("manifest-*.txt"))
    if not (bag / "bagit.txt").is_file() or not manifests:
        raise errors.IntegrityError(f"{bag} is not a bag (no bagit.txt or manifest)")
    holes = set()
    if holes_allowed and (bag / "fetch.txt").is_file():
        holes = {line.split(None, 2)[2] for line in (bag / "fetch.txt").read_text("utf-8").splitlines() if line.strip()}
    problems, checked = [], set()
    for manifest in manifests + sorted(bag.glob("tagmanifest-*.txt")):
        algorithm = manifest.stem.split("-", 1)[1]
        if algorithm not in _ALGORITHMS:
            continue
        for line in manifest.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            expected, path = line.split(None, 1)
            target = _inside(bag, path)
            if not target.is_file():
                if path not in holes:
                    problems.append(f"{path}: missing")
                continue
            digest = _ALGORITHMS[algorithm]()
            with open(target, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != expected.lower():
                problems.append(f"{path}: {algorithm} does not match {manifest.name}")
            if manifest.name.startswith("manifest-"):
                checked.add(path)
    listed = {str(p.relative_to(bag)).replace(os.sep, "/") for p in (bag / "data").rglob("*") if p.is_file()}
    problems += [f"{p}: not in any manifest" for p in sorted(listed - checked)]
    if problems:
        raise errors.IntegrityError(f"The bag {bag.name} fails validation: " + "; ".join(problems[:20]))
    return len(checked)


def _inside(bag: Path, path: str) -> Path:
    target = (bag / path).resolve()
    if bag.resolve() not in target.parents:
        raise errors.IntegrityError(f"The bag names a path outside its folder: {path}")
    return target


def replace_dir(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)
    return dst
