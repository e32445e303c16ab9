"""flowyml: typed Dataset, Model and Metrics assets with statistics read from the bytes, and lineage (seed 004)."""
import os, cairn, pandas

cairn.use(cairn.connect().catalog(os.environ.get("CAIRN_CATALOG", "ml")))
df = pandas.DataFrame({"age": [34, 40, 51, 29], "income": [50.0, 72.5, 61.0, 38.2], "churned": [0, 1, 0, 1]})
dataset = cairn.Dataset.create(data=df, name="training_data", source="s3://bucket/data.csv")
print(f"Samples: {dataset.num_samples}  Features: {dataset.num_features}  Columns: {dataset.feature_columns}")
print(f"Stats: {dataset.column_stats['age']}")
model = cairn.Model.create(data=b"\x00" * 256, name="churn_model", parents=[dataset], framework="sklearn")
metrics = cairn.Metrics.create(name="churn_eval", accuracy=0.95, f1_score=0.92, loss=0.15, parents=[model])
print(f"accuracy {metrics.accuracy}")
graph = metrics.lineage("up")
print("parents of the metrics:", [n["RID"] for n in graph["nodes"] if n["RID"] != metrics.id])
