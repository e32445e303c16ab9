"""Pangolin: tables and models in nested namespaces, lineage, search and time travel (seed 002)."""
import datetime, os, cairn

cat = cairn.connect().catalog(os.environ.get("CAIRN_CATALOG", "ml"))
rows = [{"id": 1, "email": "a@example.org"}, {"id": 2, "email": None}]
table = cat.write_table(rows, "customer_export_2025", "data_files/exports", format="parquet")
model = cat.put("customer_churn", None, "1.0.0", namespace="ml_models/production", kind="Model",
                description="Customer churn classification model",
                metadata={"framework": "scikit-learn", "deployment_status": "production"},
                metrics={"accuracy": 0.90, "f1_score": 0.88},
                lineage={"training_data": ["data_files/exports/customer_export_2025"]})
print([ns["namespace"] for ns in cat.namespaces()])
print([a.uri for a in cat.find(q="classification", framework="scikit-learn")])
print("today:", cat.resolve(f"ml_models/production/customer_churn@{datetime.date.today()}").uri)
print("trained on:", [e for e in cat.lineage(model.id, "up")["edges"]])
print(cat.read_table(table.id))
