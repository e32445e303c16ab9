"""Every problem code the server can answer has its own exception class, under its status's class."""

import pytest
import requests

import cairn
from cairn import errors


def test_every_code_the_server_lists_has_its_own_class(server):
    url, _ = server
    document = requests.get(f"{url}/openapi", headers={"Accept": "application/json"}, timeout=30).json()
    problem = document["components"]["schemas"]["Problem"]
    codes = problem["properties"]["code"]["enum"]
    assert len(codes) >= 40
    for code in codes:
        cls = errors.BY_CODE.get(code)
        assert cls is not None, f"no exception class for {code}"
        assert issubclass(cls, cairn.CairnError)
        raised = errors.from_problem(cls.status, {"code": code, "title": "t", "detail": "d", "instance": "urn:x"})
        assert type(raised) is cls and raised.code == code and raised.status == cls.status
        assert raised.detail == "d" and raised.instance == "urn:x" and raised.title == "t"
    assert set(errors.BY_CODE) == set(codes), "the client knows codes the server does not list"


def test_a_problem_without_a_known_code_falls_back_to_its_status():
    assert type(errors.from_problem(409, {"code": "something-new"})) is errors.Conflict
    assert type(errors.from_problem(502, None, "bad gateway")) is errors.ServerError
    e = errors.from_problem(418, {})
    assert isinstance(e, errors.BadRequest) and e.status == 418


def test_real_refusals_raise_their_classes(client, catalog):
    with pytest.raises(cairn.NotFound) as e:
        client.catalog("no-such-catalog-here")
    assert e.value.status == 404 and e.value.code == "not-found" and e.value.instance.startswith("urn:uuid:")
    twin = client.create_catalog(catalog.name)  # names need not be unique; a name that names two is ambiguous
    with pytest.raises(cairn.AmbiguousName):
        client.catalog(catalog.name)
    assert client.catalog(twin.id).name == catalog.name
    with pytest.raises(cairn.InvalidParameter):
        client.http.get(f"/api/catalogs/{catalog.id}/datasets", frobnicate="1")
    anonymous = cairn.connect(client.url, token=None)
    anonymous.http.session.headers.pop("Authorization", None)
    with pytest.raises(cairn.Unauthorized):
        anonymous.http.get("/api/tokens")
    with pytest.raises(cairn.NotFound):       # webauthn's answer: no session
        anonymous.whoami()
    assert client.whoami()["client"]["id"] == "user:admin"
    with pytest.raises(cairn.Unauthorized):   # a catalog nobody granted: log in first
        anonymous.catalog(catalog.id)


def test_validation_errors_carry_every_violation(catalog):
    with pytest.raises(cairn.ValidationFailed) as e:
        catalog.put("bad", None, specs=[{"role": "sideways"}])
    assert e.value.status == 422
    assert e.value.errors and all("message" in v for v in e.value.errors)
    assert "sideways" in str(e.value) or e.value.errors


def test_an_unreachable_server_is_a_connection_failure(home):
    with pytest.raises(cairn.ConnectionFailed):
        cairn.connect("http://127.0.0.1:9", token="x").catalogs()
