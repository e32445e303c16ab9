"""AIOS's Assets DB: upload with versions, tags and metadata, update, and Mongo-style queries (seed 001)."""
import os, cairn

cat = cairn.connect().catalog(os.environ.get("CAIRN_CATALOG", "ml"))
with open("model.pt", "wb") as f:
    f.write(os.urandom(1024))
asset = cat.put("resnet", "model.pt", "1.10.0", tag="initial", kind="Model",
                metadata={"framework": "pytorch", "params": {"lr": 0.001}}, tags=["image", "sample"])
print(asset.uri, asset.id, asset.file_info["sha256"])
cat.update(asset.uri, asset_tags=["image", "sample", "updated"])
same = cat.get("resnet:1.10.0-initial")
print(same.tags, same.path)
for found in cat.find({"asset_tags": {"$in": ["updated"]}, "asset_metadata.params.lr": {"$lt": 0.01},
                       "asset_version.version": {"$gte": "1.9"}}):
    print("found", found.uri, found.metadata)
