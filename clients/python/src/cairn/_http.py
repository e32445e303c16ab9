"""One HTTP session per client: the base URL, the credential, problem documents raised as exceptions."""

from __future__ import annotations

import json
from typing import Any, Iterator
from urllib.parse import quote

import requests

from . import errors

#: what the client sends as User-Agent, so that the server's log can tell its requests apart
USER_AGENT = "cairn-python/0.3"


def seg(text: str) -> str:
    """One URL path segment, every reserved character escaped."""
    return quote(str(text), safe="")


class Stats:
    """Bytes moved by a client, for progress reports and for tests that a cache hit moved none."""

    def __init__(self) -> None:
        self.bytes_received = 0
        self.bytes_sent = 0
        self.requests = 0


class Http:
    def __init__(self, url: str, token: str | None = None, timeout: float = 300.0,
                 session: requests.Session | None = None):
        self.url = url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.stats = Stats()

    def absolute(self, path: str) -> str:
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return self.url + (path if path.startswith("/") else "/" + path)

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (), stream: bool = False,
                **kwargs: Any) -> requests.Response:
        """Sends a request; any 4xx or 5xx that is not in ``ok`` raises the problem's exception."""
        kwargs.setdefault("timeout", self.timeout)
        self.stats.requests += 1
        try:
            response = self.session.request(method, self.absolute(path), stream=stream, **kwargs)
        except requests.RequestException as e:
            raise errors.ConnectionFailed(f"{method} {self.absolute(path)} failed: {e}") from e
        if response.status_code >= 400 and response.status_code not in ok:
            raise problem(response)
        return response

    def json(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
        response = self.request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    def get(self, path: str, **params: Any) -> Any:
        return self.json("GET", path, params={k: v for k, v in params.items() if v is not None})

    def pages(self, path: str, params: dict, *, key: str = "RID") -> Iterator[dict]:
        """Every row of a listing paged with ``limit`` and ``after`` (the last row's key)."""
        params = dict(params)
        limit = int(params.setdefault("limit", 1000))
        while True:
            rows = self.get(path, **params)
            yield from rows
            if len(rows) < limit:
                return
            params["after"] = rows[-1][key]


def problem(response: requests.Response) -> errors.CairnError:
    """The exception for a refused request, from its problem document when it has one."""
    body: Any = None
    try:
        body = response.json()
    except ValueError:
        pass
    where = f"{response.request.method} {response.url}"
    text = response.text.strip() if response.headers.get("Content-Type", "").startswith("text/plain") else ""
    return errors.from_problem(response.status_code, body,
                               fallback=f"{where}: {text[:500]}" if text else f"{where} answered {response.status_code}")
