"""Every error Cairn answers is an ``application/problem+json`` document with a stable ``code``.

The client raises one exception class per code, each a subclass of the class for its HTTP status, so
a script may catch as broadly or as narrowly as it needs::

    try:
        cat.put("resnet", "model.pt", version="1.0")
    except cairn.VersionExists:          # this exact code
        ...
    except cairn.Conflict:                # any 409
        ...
    except cairn.CairnError as e:         # anything Cairn refused
        print(e.code, e.status, e.detail, e.instance)
"""

from __future__ import annotations

from typing import Any


class CairnError(Exception):
    """A request Cairn refused, or that could not reach it (``status`` 0)."""

    status = 0
    code = "error"

    def __init__(self, detail: str, *, code: str | None = None, title: str | None = None,
                 status: int | None = None, instance: str | None = None,
                 errors: list | None = None, problem: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.title = title
        self.instance = instance
        self.errors = errors or []
        self.problem = problem or {}

    def __str__(self) -> str:
        where = f" ({self.instance})" if self.instance else ""
        head = f"{self.status} {self.code}" if self.status else self.code
        text = f"{head}: {self.detail}{where}"
        for e in self.errors:
            text += f"\n  - {e.get('path') or e.get('source') or ''}: {e.get('message')}"
        return text


class ConnectionFailed(CairnError):
    """Cairn could not be reached (no answer, a refused connection, a timeout)."""

    code = "connection-failed"


class ClientError(CairnError):
    """A problem found on this side before anything was sent or after it arrived (a checksum, a bag's manifest)."""

    code = "client-error"


class IntegrityError(ClientError):
    """Bytes that arrived do not match their checksum or manifest."""

    code = "integrity"


# -- by HTTP status ----------------------------------------------------------------------------

class BadRequest(CairnError):
    status = 400


class Unauthorized(CairnError):
    status = 401


class Forbidden(CairnError):
    status = 403


class NotFound(CairnError):
    status = 404


class MethodNotAllowed(CairnError):
    status = 405


class NotAcceptable(CairnError):
    status = 406


class Conflict(CairnError):
    status = 409


class LengthRequired(CairnError):
    status = 411


class PreconditionFailed(CairnError):
    status = 412


class PayloadTooLarge(CairnError):
    status = 413


class UnsupportedMediaType(CairnError):
    status = 415


class RangeNotSatisfiable(CairnError):
    status = 416


class ValidationFailed(CairnError):
    """422: what would be stored fails validation; ``errors`` lists every violation."""

    status = 422


class TooManyRequests(CairnError):
    status = 429


class ServerError(CairnError):
    """A 5xx: a bug in Cairn or a dependency that cannot serve now."""

    status = 500


class NotImplementedByServer(ServerError):
    status = 501


class Unavailable(ServerError):
    status = 503


def _code(name: str, base: type, code: str, doc: str) -> type:
    return type(name, (base,), {"code": code, "__doc__": doc, "__module__": __name__})


# -- by problem code: one class each, under the class of its status ------------------------------

InvalidJson = _code("InvalidJson", BadRequest, "invalid-json", "The body is not the JSON (or YAML) expected.")
InvalidParameter = _code("InvalidParameter", BadRequest, "invalid-parameter", "A query parameter is unknown, repeated or wrong.")
InvalidHeader = _code("InvalidHeader", BadRequest, "invalid-header", "A header's value does not follow its syntax.")
MalformedEscape = _code("MalformedEscape", BadRequest, "malformed-escape", "A percent sign not followed by two hex digits.")
InvalidPath = _code("InvalidPath", BadRequest, "invalid-path", "The path does not follow its API's grammar.")
StatementTimeout = _code("StatementTimeout", BadRequest, "statement-timeout", "The query ran past the statement limit.")
AclDenied = _code("AclDenied", Forbidden, "acl-denied", "The client lacks the right to do this.")
TokenScope = _code("TokenScope", Forbidden, "token-scope", "The token is read-only or scoped to other catalogs.")
SystemOwned = _code("SystemOwned", Forbidden, "system-owned", "The element belongs to the system.")
NoRoute = _code("NoRoute", NotFound, "no-route", "No API has a resource at this path.")
AlreadyExists = _code("AlreadyExists", Conflict, "already-exists", "Something of that name exists already.")
AmbiguousName = _code("AmbiguousName", Conflict, "ambiguous-name", "The name reads several ways; use an id.")
WrongKind = _code("WrongKind", Conflict, "wrong-kind", "A namespace where an object is needed, or the reverse.")
VersionExists = _code("VersionExists", Conflict, "version-exists", "The version exists with other content.")
InUse = _code("InUse", Conflict, "in-use", "Something else depends on it.")
Immutable = _code("Immutable", Conflict, "immutable", "What names a version, or its bytes, cannot change.")
ExecutionState = _code("ExecutionState", Conflict, "execution-state", "The execution's state does not allow this.")
CommitInProgress = _code("CommitInProgress", Conflict, "commit-in-progress", "The execution's outputs are being committed.")
DatasetState = _code("DatasetState", Conflict, "dataset-state", "The dataset's state does not allow this.")
Cycle = _code("Cycle", Conflict, "cycle", "The change would make a dataset contain itself.")
UploadIncomplete = _code("UploadIncomplete", Conflict, "upload-incomplete", "An upload job still lacks chunks.")
ChecksumMismatch = _code("ChecksumMismatch", Conflict, "checksum-mismatch", "The bytes do not match the checksum sent.")
TryAgain = _code("TryAgain", Conflict, "try-again", "A concurrent change won; the request may be sent again.")
LastAdministrator = _code("LastAdministrator", Conflict, "last-administrator", "The last administrator cannot go.")
NotInstalled = _code("NotInstalled", Conflict, "not-installed", "The catalog lacks what this needs.")
SecretKey = _code("SecretKey", Conflict, "secret-key", "A secret was sealed with another server key.")

_BY_STATUS: dict[int, type] = {
    c.status: c
    for c in (BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, Conflict,
              LengthRequired, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, RangeNotSatisfiable,
              ValidationFailed, TooManyRequests, ServerError, NotImplementedByServer, Unavailable)
}

#: The exception class for each of Cairn's problem codes (docs/errors.md).
BY_CODE: dict[str, type] = {
    "bad-request": BadRequest, "unauthorized": Unauthorized, "forbidden": Forbidden, "not-found": NotFound,
    "method-not-allowed": MethodNotAllowed, "not-acceptable": NotAcceptable, "length-required": LengthRequired,
    "payload-too-large": PayloadTooLarge, "unsupported-media-type": UnsupportedMediaType,
    "range-not-satisfiable": RangeNotSatisfiable, "conflict": Conflict, "precondition-failed": PreconditionFailed,
    "validation-failed": ValidationFailed, "too-many-requests": TooManyRequests, "internal-error": ServerError,
    "not-implemented": NotImplementedByServer, "unavailable": Unavailable,
}
BY_CODE.update({c.code: c for c in globals().values()
                if isinstance(c, type) and issubclass(c, CairnError) and "code" in c.__dict__
                and c.__dict__["code"] not in BY_CODE and c.status})


def from_problem(status: int, problem: Any, fallback: str = "") -> CairnError:
    """The exception for an answer: its code's class, else its status's, else the nearest class."""
    if not isinstance(problem, dict):
        problem = {}
    code = problem.get("code")
    cls = BY_CODE.get(code) or _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else BadRequest if status >= 400 else CairnError
    return cls(
        problem.get("detail") or problem.get("title") or fallback or f"HTTP {status}",
        code=code or _status_code(status),
        title=problem.get("title"),
        status=status,
        instance=problem.get("instance"),
        errors=problem.get("errors") if isinstance(problem.get("errors"), list) else None,
        problem=problem,
    )


def _status_code(status: int) -> str:
    return {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 409: "conflict",
            412: "precondition-failed", 422: "validation-failed", 429: "too-many-requests",
            500: "internal-error", 503: "unavailable"}.get(status, f"http-{status}")
