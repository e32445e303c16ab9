"""The cairn command, as a script calls it: its output and its exit codes."""

import json
import os
import subprocess
import sys
import uuid

import requests


def cairn(*args, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "cairn.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, timeout=300)


def test_login_put_get_ls_find_lineage_logout(server, home, tmp_path, monkeypatch):
    url, admin = server
    name = f"u{uuid.uuid4().hex[:8]}"
    auth = {"Authorization": f"Bearer {admin}"}
    requests.post(f"{url}/api/users", json={"username": name, "password": "a long passphrase"}, headers=auth,
                  timeout=30).raise_for_status()
    catalog = requests.post(f"{url}/api/catalogs", json={"name": f"cli-{name}"}, headers=auth, timeout=60).json()
    requests.put(f"{url}/ermrest/catalog/{catalog['id']}/acl/owner", json=["user:admin", f"user:{name}"],
                 headers=auth, timeout=30).raise_for_status()
    env = {k: v for k, v in os.environ.items() if k not in ("CAIRN_TOKEN",)}
    env["CAIRN_URL"] = url

    done = cairn("login", "-u", name, "--password-stdin", env=env, stdin="a long passphrase\n")
    assert done.returncode == 0, done.stderr
    stored = json.loads((home / "config" / "credentials.json").read_text())
    assert stored[url]["token"].startswith("cairn_")
    assert oct((home / "config" / "credentials.json").stat().st_mode & 0o777) == "0o600"
    wrong = cairn("login", "-u", name, "--password-stdin", env=env, stdin="not it\n")
    assert wrong.returncode == 4 and "401" in wrong.stderr

    source = tmp_path / "weights.bin"
    source.write_bytes(b"w" * 1000)
    put = cairn("put", str(source), "resnet", "-c", catalog["name"], "--version", "1.0", "--kind", "Model",
                "--tag", "vision", env=env)
    assert put.returncode == 0, put.stderr
    assert json.loads(put.stdout)["asset_uri"] == "resnet:1.0"
    assert cairn("put", str(source), "resnet", "-c", catalog["name"], "--version", "1.0", env=env).returncode == 5

    out = tmp_path / "out"
    out.mkdir()
    got = cairn("get", "resnet:1.0", "-c", catalog["name"], "-o", str(out), env=env)
    assert got.returncode == 0, got.stderr
    assert (out / "weights.bin").read_bytes() == b"w" * 1000
    assert cairn("get", "missing", "-c", catalog["name"], env=env).returncode == 3

    hatrac = f"/hatrac/{catalog['id']}/cli/notes.txt"
    assert cairn("put", str(source), hatrac, env=env).returncode == 0
    assert cairn("get", hatrac, "-o", "-", env=env).stdout == "w" * 1000
    assert hatrac in cairn("ls", f"/hatrac/{catalog['id']}/cli", env=env).stdout
    assert catalog["name"] in cairn("ls", env=env).stdout
    assert "resnet:1.0" in cairn("ls", "-c", catalog["name"], env=env).stdout

    found = cairn("find", "-c", catalog["name"], '{"asset_tags": "vision"}', "--json", env=env)
    assert found.returncode == 0 and [a["asset_name"] for a in json.loads(found.stdout)] == ["resnet"]
    assert cairn("find", "-c", catalog["name"], '{"asset_tags": {"$bogus": 1}}', env=env).returncode == 6
    lineage = cairn("lineage", "-c", catalog["name"], "resnet:1.0", "--json", env=env)
    assert lineage.returncode == 0 and json.loads(lineage.stdout)["nodes"]

    assert cairn("logout", env=env).returncode == 0
    assert url not in json.loads((home / "config" / "credentials.json").read_text())
    assert cairn("ls", "-c", catalog["name"], env=env).returncode == 4  # anonymous now: a login is needed


def test_help_and_usage_errors(home):
    assert cairn("--help").returncode == 0 and "Exit codes" in cairn("--help").stdout
    for command in ("login", "put", "get", "ls", "find", "bag", "lineage"):
        assert cairn(command, "--help").returncode == 0
    assert cairn("put").returncode == 2
    assert cairn().returncode == 2
    assert cairn("ls", "--url", "http://127.0.0.1:9").returncode == 7


def test_bag(client, catalog, tmp_path, home):
    catalog.create_asset_table("Image")
    catalog.add_dataset_element_type("Image")
    with catalog.execution(catalog.create_workflow("w", "Training")) as exe:
        exe.asset_file_path("Image", "a.png").write_bytes(b"a")
    ds = catalog.create_dataset("d", members=[a["RID"] for a in catalog.list_assets("Image")])
    env = dict(os.environ)
    done = cairn("bag", "-c", catalog.id, ds.rid, "-o", str(tmp_path), env=env)
    assert done.returncode == 0, done.stderr
    bag = tmp_path / done.stdout.strip().rsplit("/", 1)[-1]
    assert list(bag.rglob("a.png"))
    assert cairn("bag", "-c", catalog.id, "ZZZZ", "-o", str(tmp_path), env=env).returncode in (3, 6)
