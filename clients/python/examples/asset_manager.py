"""The benchmarking Asset Manager: validate before storing, get with a cache, stream, annotate (seed 003)."""
import os, cairn

cat = cairn.connect().catalog(os.environ.get("CAIRN_CATALOG", "ml"))
with open("schema.yaml", "w") as f:
    f.write("properties:\n  metadata: {required: [organism]}\n")
cat.put("cells-schema", "schema.yaml", "1")
spec = [{"role": "output", "modality": "rna", "semantic": "GO:0008150"}]
try:
    cat.put("cells", b"cell,count\nA,3\n", "1", kind="Dataset", specs=spec, declarative_schema="cells-schema:1",
            filename="cells.csv")
except cairn.ValidationFailed as refused:
    print("refused:", [e["message"] for e in refused.errors])
cells = cat.put("cells", b"cell,count\nA,3\n", "1", kind="Dataset", specs=spec, metadata={"organism": "human"},
                declarative_schema="cells-schema:1", filename="cells.csv", provenance={"author": "lab"})
print(cat.get("cells:1").path, b"".join(cat.stream("cells:1")))
cat.annotate("cells:1", "checked against the benchmark's QC")
print(cat.list_versions("cells"))
