"""DerivaML's execution from Python: staged outputs committed on a clean exit, Failed and kept on an
exception, an upload retried after a failure, inputs downloaded as pinned, and a restore for a re-run."""

import pytest

import cairn


@pytest.fixture
def ml(catalog):
    catalog.create_asset_table("Image", columns=[{"name": "Width", "type": "int4"}])
    catalog.add_term("Asset_Type", "Segmentation_Mask", "binary masks")
    catalog.add_dataset_element_type("Image")
    workflow = catalog.create_workflow("Segmenter", "Training", url="https://example.org/seg.py", checksum="c1")
    return catalog, workflow


def test_a_clean_exit_uploads_stops_and_commits(ml, tmp_path):
    cat, workflow = ml
    existing = tmp_path / "scan.png"
    existing.write_bytes(b"scan bytes")
    with cat.execution(workflow, description="first run") as exe:
        assert exe.status == "Running"
        mask = exe.asset_file_path("Image", "mask.png", types=["Segmentation_Mask"], description="a mask")
        mask.write_bytes(b"mask bytes")
        exe.asset_file_path("Image", str(existing), copy_file=True, rename_file="scan1.png")
    info = exe.info()
    assert info["Status"] == "Uploaded"
    outputs = {a["Filename"]: a for a in info["Assets"] if a["Asset_Role"] == "Output"}
    assert set(outputs) == {"mask.png", "scan1.png"}
    assert not (exe.working_dir / "outputs").exists(), "a committed execution's staging folder is cleaned"
    rows = {a["Filename"]: a for a in cat.list_assets("Image")}
    assert "Segmentation_Mask" in rows["mask.png"]["Asset_Type"] and rows["mask.png"]["Description"] == "a mask"
    assert cat.client.get(rows["scan1.png"]["URL"]).read_bytes() == b"scan bytes"


def test_an_exception_marks_it_failed_and_keeps_the_files(ml):
    cat, workflow = ml
    with pytest.raises(ZeroDivisionError):
        with cat.execution(workflow) as exe:
            exe.asset_file_path("Image", "half.png").write_bytes(b"half done")
            1 / 0
    info = exe.info()
    assert info["Status"] == "Failed"
    assert "ZeroDivisionError" in info["Status_Detail"]
    assert (exe.working_dir / "outputs" / "Image" / "half.png").read_bytes() == b"half done"
    assert not [a for a in info["Assets"] if a["Asset_Role"] == "Output"]


def test_an_upload_that_failed_resumes_without_sending_again(ml, monkeypatch):
    cat, workflow = ml
    exe = cat.execution(workflow).start()
    for i in range(3):
        exe.asset_file_path("Image", f"f{i}.png").write_bytes(f"file {i}".encode())
    real = cat.http.request
    sent, fail_after = [], 2

    def recording(method, path, **kw):
        if method == "PUT" and "/outputs/" in path:
            if len(sent) == fail_after:
                raise cairn.ConnectionFailed("gone")
            sent.append(path)
        return real(method, path, **kw)

    monkeypatch.setattr(cat.http, "request", recording)
    with pytest.raises(cairn.ConnectionFailed):
        exe.upload_outputs()
    assert exe.status == "Stopped" and len(exe.info()["Staged"]) == 2
    sent.clear()
    fail_after = None
    info = exe.upload_outputs()
    assert info["Status"] == "Uploaded"
    assert len(sent) == 1 and sent[0].endswith("/f2.png"), "the two files already staged are not sent again"
    assert len([a for a in info["Assets"] if a["Asset_Role"] == "Output"]) == 3


def test_many_outputs_of_one_kind_go_as_one_archive(ml, monkeypatch):
    cat, workflow = ml
    real = cat.http.request
    sent = []

    def recording(method, path, **kw):
        if "/outputs/" in path:
            sent.append((method, path))
        return real(method, path, **kw)

    monkeypatch.setattr(cat.http, "request", recording)
    with cat.execution(workflow) as exe:
        for i in range(40):
            exe.asset_file_path("Image", f"tile{i}.png", types=["Segmentation_Mask"]).write_bytes(b"tile %d" % i)
        exe.asset_file_path("Image", "summary.png").write_bytes(b"one of its kind")
    assert sorted(method for method, _ in sent) == ["POST", "PUT"], sent
    info = exe.info()
    assert info["Status"] == "Uploaded"
    rows = {a["Filename"]: a for a in cat.list_assets("Image")}
    assert len([name for name in rows if name.startswith("tile")]) == 40
    assert "Segmentation_Mask" in rows["tile7.png"]["Asset_Type"]
    assert cat.client.get(rows["tile39.png"]["URL"]).read_bytes() == b"tile 39"
    assert info["Asset_Count"] == 41 and info["Staged_Count"] == 0
    produced = list(exe.list_assets("Output"))
    assert sorted(a["Filename"] for a in produced) == sorted([f"tile{i}.png" for i in range(40)] + ["summary.png"])
    assert [a["RID"] for a in produced] == sorted(a["RID"] for a in produced)
    assert list(exe.list_assets("Input")) == []


def test_inputs_are_downloaded_as_pinned_and_restored_for_a_rerun(ml, tmp_path):
    cat, workflow = ml
    with cat.execution(workflow) as producer:
        producer.asset_file_path("Image", "input.png").write_bytes(b"v1 input")
    image = next(a for a in cat.list_assets("Image") if a["Filename"] == "input.png")
    dataset = cat.create_dataset("inputs", types=["Training"], members=[image["RID"]])
    released = dataset.release("minor", "first cut")["Version"]
    with cat.execution(workflow, datasets=[{"rid": dataset.rid, "version": released}], assets=[image["RID"]]) as exe:
        got = exe.download_inputs()
        assert got["assets"][image["RID"]].read_bytes() == b"v1 input"
        bag = got["datasets"][dataset.rid]
        assert (bag / "data" / "assets" / "Image" / image["RID"] / "input.png").read_bytes() == b"v1 input"
        exe.asset_file_path("Image", "result.png").write_bytes(b"result")
    # the dataset moves on; a restore still gets the version the execution used
    dataset.add_members([a["RID"] for a in cat.list_assets("Image") if a["Filename"] == "result.png"])
    rerun = cat.restore(exe.rid, to=tmp_path / "rerun")
    bag = rerun.inputs["datasets"][dataset.rid]
    assert released in bag.name
    assert not list(bag.rglob("result.png")), "the restored bag is the pinned version's"
    assert rerun.inputs["assets"][image["RID"]].read_bytes() == b"v1 input"
    with rerun:
        rerun.asset_file_path("Image", "again.png").write_bytes(b"again")
    info = rerun.info()
    assert info["Workflow"] == workflow["RID"] and info["Status"] == "Uploaded"
    assert [d["Version"] for d in info["Dataset_Versions"]] == [released]
    assert [a["RID"] for a in info["Assets"] if a["Asset_Role"] == "Input"] == [image["RID"]]
    lineage = cat.lineage(image["RID"], "down")
    assert {e["to"] for e in lineage["edges"] if e["from"] == image["RID"]} >= {exe.rid, rerun.rid}
