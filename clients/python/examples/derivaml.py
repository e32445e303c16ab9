"""DerivaML: an asset table, an execution that writes its outputs, a dataset, its bag (seed 000)."""
import os, cairn

cat = cairn.connect().catalog(os.environ.get("CAIRN_CATALOG", "ml"))
cat.create_asset_table("Image", referenced_tables=[], comment="Medical images")
cat.add_term("Asset_Type", "Segmentation_Mask", "Binary mask images")
workflow = cat.create_workflow("Segmenter", "Training", url="https://github.com/lab/seg", checksum="3f2a")
with cat.execution(workflow, description="first run") as exe:
    mask = exe.asset_file_path("Image", "mask.png", types=["Segmentation_Mask", "Image"])
    mask.write_bytes(b"\x89PNG fake mask")              # a model would write here
for asset in cat.list_assets("Image"):
    print(asset["RID"], asset["Filename"], asset["Length"], asset["MD5"], asset["Asset_Type"])
cat.add_dataset_element_type("Image")
dataset = cat.create_dataset("masks", types=["Training"], members=[a["RID"] for a in cat.list_assets("Image")])
version = dataset.release("minor", "first cut")["Version"]
print("bag:", dataset.download_bag(version, materialize=True, to="bags"))
print("lineage:", cat.lineage(exe.info()["Assets"][0]["RID"], "up")["edges"])
