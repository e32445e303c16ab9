"""The ``cairn`` command: login, put, get, ls, find, bag, lineage.

Exit codes a script can trust:
  0  done
  1  refused for another reason (a 4xx not below)
  2  usage: a wrong argument
  3  not found (404)
  4  not allowed: a login is needed, or the right is lacking (401, 403)
  5  conflict: it exists, changed, or is in use (409, 412)
  6  invalid: the request or the content fails validation (400, 422)
  7  Cairn could not be reached, or failed (connection, 5xx)
  8  the bytes that arrived fail their checksum or manifest
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from pathlib import Path

from . import errors
from ._client import DEFAULT_URL, connect, read_credentials, write_credentials

EXIT = {errors.NotFound: 3, errors.Unauthorized: 4, errors.Forbidden: 4, errors.Conflict: 5,
        errors.PreconditionFailed: 5, errors.BadRequest: 6, errors.ValidationFailed: 6,
        errors.ServerError: 7, errors.ConnectionFailed: 7, errors.IntegrityError: 8}


def exit_code(e: errors.CairnError) -> int:
    for cls in type(e).__mro__:
        if cls in EXIT:
            return EXIT[cls]
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except errors.CairnError as e:
        print(f"cairn: {e}", file=sys.stderr)
        return exit_code(e)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as e:
        print(f"cairn: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cairn", description="Cairn from the command line.",
                                     epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="the server (default: $CAIRN_URL, or the one you logged in to)")
    parser.add_argument("--token", help="an API token (default: $CAIRN_TOKEN, or the one `cairn login` stored)")
    sub = parser.add_subparsers(metavar="COMMAND")
    # --url and --token may also follow the command; there they override the ones before it
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument("--token", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=[common])
        p.set_defaults(run=run)
        return p

    def catalog_arg(p):
        p.add_argument("-c", "--catalog", required=True, help="the catalog, by name or id")

    p = command("login", _login, "Log in with a password and keep a named API token for this server.")
    p.add_argument("--username", "-u", help="(asked for when missing)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--name", help="the token's name (default: cairn-cli@<host>)")
    p.add_argument("--days", type=int, default=90, help="days the token is valid (at most 366)")
    p = command("logout", _logout, "Revoke the stored token and forget it.")

    p = command("put", _put, "Store a file: at a /hatrac/ path in the object store, or as a registry asset.")
    p.add_argument("file", help="a local file, or - for standard input")
    p.add_argument("target", help="/hatrac/namespace/object, or an asset name with -c")
    p.add_argument("-c", "--catalog", help="register in this catalog's asset registry")
    p.add_argument("--version", help="the asset's version (default: the next one)")
    p.add_argument("--kind", help="Model, Dataset, Config... (default: read from the bytes)")
    p.add_argument("--namespace", help="the registry namespace, e.g. ml_models/production")
    p.add_argument("--tag", action="append", dest="tags", help="a tag (repeatable)")
    p.add_argument("--metadata", type=json.loads, help="a JSON object of metadata")
    p.add_argument("--description")
    p.add_argument("--content-type")

    p = command("get", _get, "Fetch a file: a /hatrac/ path, or a registry reference (name, name:version, alias, @date).")
    p.add_argument("ref")
    p.add_argument("-c", "--catalog", help="resolve REF in this catalog's registry")
    p.add_argument("-o", "--output", help="a file or folder (default: the object's name here; - for standard output)")
    p.add_argument("--version", help="an object version")

    p = command("ls", _ls, "List catalogs; a /hatrac/ namespace; or with -c a registry namespace's assets.")
    p.add_argument("path", nargs="?")
    p.add_argument("-c", "--catalog")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = command("find", _find, "Find registry assets: a Mongo-style filter, or words.")
    catalog_arg(p)
    p.add_argument("query", nargs="?", help='a JSON filter, e.g. \'{"asset_tags": "vision"}\'')
    p.add_argument("-q", "--words", help="a ranked keyword search instead")
    p.add_argument("--limit", type=int)
    p.add_argument("--json", action="store_true", help="print the assets as JSON")

    p = command("bag", _bag, "Download a dataset version as a BagIt bag, checked against its manifests.")
    catalog_arg(p)
    p.add_argument("dataset", help="the dataset's RID")
    p.add_argument("--version", help="a released version (default: the current state)")
    p.add_argument("--no-materialize", action="store_true", help="leave asset files in fetch.txt")
    p.add_argument("-o", "--output", default=".", help="the folder to unpack into")

    p = command("lineage", _lineage, "Where an asset came from (up) and what was made from it (down).")
    catalog_arg(p)
    p.add_argument("rid", help="an asset, execution or dataset RID, or a registry reference")
    p.add_argument("--direction", choices=["up", "down", "both"], default="both")
    p.add_argument("--depth", type=int)
    p.add_argument("--json", action="store_true")
    return parser


def _client(args):
    return connect(args.url, args.token)


def _login(args) -> int:
    import requests
    url = (args.url or os.environ.get("CAIRN_URL") or DEFAULT_URL).rstrip("/")
    username = args.username or input("Username: ")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    session = requests.Session()
    from ._http import Http, problem
    r = session.post(f"{url}/authn/session", data={"username": username, "password": password}, timeout=60)
    if r.status_code >= 400:
        raise problem(r)
    http = Http(url, session=session)
    name = args.name or f"cairn-cli@{socket.gethostname()}"
    from datetime import datetime, timedelta, timezone
    expires = (datetime.now(timezone.utc) + timedelta(days=args.days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = http.json("POST", "/api/tokens", {"name": name, "expires": expires})
    http.request("DELETE", "/authn/session", ok=(401, 404))
    write_credentials(url, {"token": made["token"], "token_id": made.get("id"), "name": name,
                            "username": username, "expires": made.get("expires")})
    print(f"Logged in to {url} as {username}; token '{name}' valid until {made.get('expires')}.")
    return 0


def _logout(args) -> int:
    client = _client(args)
    entry = read_credentials().get(client.url)
    if not entry:
        print(f"No stored token for {client.url}.", file=sys.stderr)
        return 1
    if entry.get("token_id"):
        client.http.request("DELETE", f"/api/tokens/{entry['token_id']}", ok=(401, 404))
    write_credentials(client.url, None)
    print(f"Logged out of {client.url}.")
    return 0


def _put(args) -> int:
    client = _client(args)
    source = sys.stdin.buffer if args.file == "-" else Path(args.file)
    if args.catalog:
        asset = client.catalog(args.catalog).put(
            args.target, source, args.version, kind=args.kind, namespace=args.namespace, tags=args.tags,
            metadata=args.metadata, description=args.description)
        print(json.dumps(asset.raw, indent=2))
    else:
        print(client.put(args.target, source, content_type=args.content_type, progress=None))
    return 0


def _get(args) -> int:
    client = _client(args)
    if args.catalog:
        asset = client.catalog(args.catalog).resolve(f"{args.ref}:{args.version}" if args.version else args.ref)
        blob = asset.path
        name = asset.file_info.get("filename") or asset.name
    else:
        blob = client.store.fetch(_versioned(args.ref, args.version))
        name = args.ref.rsplit("/", 1)[-1].split(":")[0]
    if args.output == "-":
        with open(blob, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                sys.stdout.buffer.write(block)
        return 0
    from ._store import place
    target = place(blob, args.output or ".", name)
    print(target)
    return 0


def _versioned(ref: str, version: str | None) -> str:
    from ._store import hatrac_path
    return hatrac_path(ref) + (f":{version}" if version else "")


def _ls(args) -> int:
    client = _client(args)
    if args.catalog:
        query = {"asset_namespace": args.path or ""}
        rows = [a.raw for a in client.catalog(args.catalog).find(query)]
        lines = [f"{r['asset_id']}\t{r['asset_uri']}\t{r.get('asset_kind') or ''}\t{(r.get('asset_file_info') or {}).get('size', '')}"
                 for r in rows]
    elif args.path:
        rows = client.store.ls(args.path)
        lines = rows
    else:
        rows = client.catalogs()
        lines = [f"{r['id']}\t{r.get('name') or ''}\t{r.get('description') or ''}" for r in rows]
    print(json.dumps(rows, indent=2) if args.json else "\n".join(lines))
    return 0


def _find(args) -> int:
    cat = _client(args).catalog(args.catalog)
    found = cat.find(q=args.words, limit=args.limit) if args.words else cat.find(
        json.loads(args.query) if args.query else {}, limit=args.limit)
    if args.json:
        print(json.dumps([a.raw for a in found], indent=2))
    else:
        for a in found:
            print(f"{a.id}\t{(a.namespace + '/') if a.namespace else ''}{a.uri}\t{a.raw.get('asset_kind') or ''}")
    return 0


def _bag(args) -> int:
    cat = _client(args).catalog(args.catalog)
    bag = cat.dataset(args.dataset).download_bag(args.version, materialize=not args.no_materialize, to=args.output)
    print(bag)
    return 0


def _lineage(args) -> int:
    graph = _client(args).catalog(args.catalog).lineage(args.rid, args.direction, args.depth)
    if args.json:
        print(json.dumps(graph, indent=2))
        return 0
    for n in graph["nodes"]:
        label = n.get("Filename") or n.get("Name") or n.get("asset_name") or n.get("Status") or ""
        print(f"{'  ' * n.get('depth', 0)}{n['kind']} {n['RID']} {n.get('table', '')} {label}".rstrip())
    for e in graph["edges"]:
        print(f"{e['from']} -> {e['to']} ({e['role']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
