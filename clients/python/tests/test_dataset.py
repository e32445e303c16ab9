"""Bags of dataset versions: streamed, unpacked, holes filled or left, checked against the manifests."""

import pytest

import cairn


@pytest.fixture
def dataset(catalog):
    catalog.create_asset_table("Image")
    catalog.add_dataset_element_type("Image")
    workflow = catalog.create_workflow("Maker", "Training")
    with catalog.execution(workflow) as exe:
        for i in range(3):
            exe.asset_file_path("Image", f"img{i}.png").write_bytes(bytes([i]) * 1000)
    ds = catalog.create_dataset("three images", types=["Training"],
                                members=[a["RID"] for a in catalog.list_assets("Image")])
    version = ds.release("major", "all three")["Version"]
    return ds, version


def test_a_materialized_bag_has_every_file_and_passes_its_manifests(dataset, tmp_path):
    ds, version = dataset
    bag = ds.download_bag(version, materialize=True, to=tmp_path)
    files = sorted(p.name for p in (bag / "data" / "assets" / "Image").rglob("*.png"))
    assert files == ["img0.png", "img1.png", "img2.png"]
    assert cairn.validate_bag(bag) >= 3 + 1  # the images and the tables


def test_a_holey_bag_lists_files_in_fetch_txt(dataset, tmp_path):
    ds, version = dataset
    bag = ds.download_bag(version, materialize=False, to=tmp_path)
    assert not list(bag.rglob("*.png"))
    assert len((bag / "fetch.txt").read_text().splitlines()) == 3
    with pytest.raises(cairn.IntegrityError):
        cairn.validate_bag(bag)  # holes are missing files for a full check
    assert cairn.validate_bag(bag, holes_allowed=True) >= 1


def test_a_tampered_bag_fails_validation(dataset, tmp_path):
    ds, version = dataset
    bag = ds.download_bag(version, to=tmp_path)
    victim = next((bag / "data" / "assets").rglob("img1.png"))
    victim.write_bytes(b"changed")
    with pytest.raises(cairn.IntegrityError, match="img1.png"):
        cairn.validate_bag(bag)
    (bag / "data" / "extra.txt").write_text("smuggled")
    victim.unlink()
    with pytest.raises(cairn.IntegrityError, match="extra.txt"):
        cairn.validate_bag(bag)


def test_versions_members_and_diff(dataset):
    ds, version = dataset
    assert version == "1.0.0"
    assert any(v["Version"] == "1.0.0" for v in ds.versions())
    rows = ds.members("Image")
    assert len(rows) == 3
    ds.remove_members([rows[0]["RID"]])
    diff = ds.diff("1.0.0")
    assert diff["members"][0]["removed"] == 1
