"""The registry's verbs: put and get (cached), find, versions, aliases, notes, relationships, lineage,
tables to and from pandas, metrics, validation before storage, and flowyml's typed assets."""

import numpy
import pandas
import pytest

import cairn


def test_put_get_and_versions(catalog, tmp_path):
    model = tmp_path / "model.bin"
    model.write_bytes(b"weights v1")
    first = catalog.put("resnet", model, "1.0.0", kind="Model", metadata={"framework": "pytorch"},
                        tags=["vision"], namespace="ml_models/production", description="first")
    assert first.uri == "resnet:1.0.0" and first.kind == "Model" and first.namespace == "ml_models/production"
    assert first.file_info["sha256"] and first.file_info["filename"] == "model.bin"
    model.write_bytes(b"weights v2")
    second = catalog.put("resnet", model, namespace="ml_models/production")
    assert second.version == "1.0.1", "without a version the server gives the next one"

    client = catalog.client
    got = catalog.get("ml_models/production/resnet:1.0.0")
    assert got.id == first.id and got.path.read_bytes() == b"weights v1"
    before = client.stats.bytes_received
    assert catalog.get("ml_models/production/resnet:1.0.0").path.read_bytes() == b"weights v1"
    assert client.stats.bytes_received == before, "a cached version moves no bytes"
    assert catalog.get("ml_models/production/resnet").version == "1.0.1"
    assert [v["version"] for v in catalog.list_versions("resnet", namespace="ml_models/production")] == ["1.0.1", "1.0.0"]
    assert b"".join(catalog.stream(first.id, chunk_size=3)) == b"weights v1"

    catalog.alias("resnet", "production", first.id, namespace="ml_models/production")
    assert catalog.get("ml_models/production/resnet:production").id == first.id
    today = catalog.resolve(f"ml_models/production/resnet@{__import__('datetime').date.today()}")
    assert today.id == second.id


def test_objects_are_serialised_and_loaded_back(catalog):
    frame = pandas.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    stored = catalog.put("frame", frame)
    assert stored.file_info["filename"] == "frame.parquet" and stored.file_info.get("row_count") == 3
    assert catalog.get("frame").load().equals(frame)
    array = numpy.arange(12, dtype="int32").reshape(3, 4)
    assert (catalog.get(catalog.put("array", array).id).load() == array).all()
    assert catalog.get(catalog.put("config", {"lr": 0.1, "layers": [1, 2]}).uri).load() == {"lr": 0.1, "layers": [1, 2]}
    with pytest.raises(TypeError):
        catalog.put("thing", object())


def test_find_by_filter_and_by_words(catalog):
    catalog.put("a", b"1", kind="Model", tags=["image"], metadata={"framework": "pytorch", "lr": 0.001})
    catalog.put("b", b"2", kind="Model", tags=["text"], metadata={"framework": "jax"}, description="a language model")
    catalog.put("c", b"3", kind="Config", tags=["image"])
    names = lambda found: sorted(a.name for a in found)  # noqa: E731
    assert names(catalog.find({"asset_tags": {"$in": ["image"]}})) == ["a", "c"]
    assert names(catalog.find({"asset_kind": "Model", "asset_metadata.lr": {"$lt": 0.01}})) == ["a"]
    assert names(catalog.find(q="language")) == ["b"]
    assert names(catalog.find(framework="jax")) == ["b"]
    with pytest.raises(cairn.BadRequest):
        catalog.find({"asset_kind": {"$frobnicate": 1}})


def test_notes_relationships_and_lineage(catalog):
    data = catalog.put("data", b"rows", kind="Dataset")
    model = catalog.put("model", b"weights", kind="Model", parents=[data.id])
    catalog.annotate(model.uri, "checked by hand")
    catalog.relate(model.uri, "evaluated_on", data.uri)
    graph = catalog.lineage(model.uri, "up")
    roles = {(e["from"], e["to"], e["role"]) for e in graph["edges"]}
    assert (data.id, model.id, "derived_from") in roles and (data.id, model.id, "evaluated_on") in roles
    assert model.lineage("up")["root"] == model.id


def test_tables_to_and_from_pandas(catalog):
    frame = pandas.DataFrame({"id": [1, 2], "email": ["a@x", None]})
    table = catalog.write_table(frame, "customers", "data_files/exports")
    assert table.namespace == "data_files/exports"
    back = catalog.read_table("data_files/exports/customers")
    assert list(back["id"]) == [1, 2] and back["email"].isna().tolist() == [False, True]
    csv = catalog.write_table([{"k": 1}, {"k": 2}], "small", format="csv")
    assert csv.file_info["filename"].endswith(".csv")


def test_metrics_compare_across_versions(catalog):
    catalog.log_metrics("eval", {"accuracy": 0.9, "f1": 0.8})
    catalog.log_metrics("eval", {"accuracy": 0.95, "f1": 0.7})
    compared = catalog.compare_metrics(name="eval", names=["accuracy"])
    assert "0.95" in str(compared) and "0.9" in str(compared)


def test_validation_refuses_before_storing(catalog, tmp_path):
    schema = tmp_path / "people.schema.yaml"
    schema.write_text("properties:\n  metadata: {required: [organism]}\n")
    catalog.put("people-schema", schema, "1")
    with pytest.raises(cairn.ValidationFailed) as refused:
        catalog.put("people", b"id,age\n1,34\n", "1", kind="Dataset", declarative_schema="people-schema:1",
                    filename="people.csv")
    assert any("organism" in e["message"] for e in refused.value.errors)
    with pytest.raises(cairn.NotFound):
        catalog.resolve("people:1")  # nothing was stored
    stored = catalog.put("people", b"id,age\n1,34\n", "1", kind="Dataset", metadata={"organism": "human"},
                         declarative_schema="people-schema:1", filename="people.csv")
    assert stored.version == "1"


def test_client_side_validators_run_before_anything_is_sent(catalog):
    def no_secrets(path, body):
        if "secret" in body.get("asset_tags", []):
            raise ValueError("no secrets in the registry")

    catalog.register_validator(no_secrets)
    with pytest.raises(ValueError):
        catalog.put("leak", b"x", tags=["secret"])
    with pytest.raises(cairn.NotFound):
        catalog.resolve("leak")
    assert catalog.put("fine", b"x", tags=["public"]).name == "fine"


def test_flowyml_typed_assets(catalog):
    cairn.use(catalog)
    frame = pandas.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [0, 1, 0, 1]})
    ds = cairn.Dataset.create(data=frame, name="training_data", source="s3://bucket/data.csv")
    assert ds.num_samples == 4 and ds.num_features == 2 and set(ds.feature_columns) == {"x", "y"}
    assert ds.column_stats["x"]["max"] == 4.0 and ds.metadata["source"] == "s3://bucket/data.csv"
    model = cairn.Model.create(data=b"\x00" * 64, name="clf", parents=[ds], framework="sklearn")
    metrics = cairn.Metrics.create(name="clf-eval", accuracy=0.95, loss=0.15, parents=[model])
    assert metrics.accuracy == 0.95 and metrics.asset_kind == "Metrics"
    up = catalog.lineage(metrics.id, "up")
    assert {ds.id, model.id} <= {n["RID"] for n in up["nodes"]}
