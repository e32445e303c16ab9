"""deriva-ml's user story against Cairn, through deriva-ml's own public API, unchanged.

The steps of deriva-ml's demo catalog (create_demo_catalog, without its git clone of deriva-ml
from GitHub), then what a user does with the result: list assets and datasets, release a dataset,
download its bag (as a released version, and materialized), and walk lineage. Each step prints
"ok" or the failure with its traceback; the exit status is the number of failed steps.
Run by run.sh, which gives DERIVA_HOST and the credential.
"""
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

from deriva_ml import DerivaML, MLVocab
from deriva_ml.dataset import VersionPart
from deriva_ml.demo_catalog import create_demo_datasets, create_demo_features, create_domain_schema, populate_demo_catalog
from deriva_ml.execution import ExecutionConfiguration
from deriva_ml.schema import create_ml_catalog

host = os.environ["DERIVA_HOST"]
work = Path(tempfile.mkdtemp(prefix="deriva-ml-story-"))
state = {}
failed = []


def step(name, action):
    try:
        result = action()
        print(f"ok    {name}" + (f": {result}" if result is not None else ""), flush=True)
        return True
    except Exception:
        failed.append(name)
        print(f"FAIL  {name}", flush=True)
        traceback.print_exc()
        return False


def catalog():
    state["catalog"] = create_ml_catalog(host, project_name="story")
    return f"catalog {state['catalog'].catalog_id}"


def domain():
    create_domain_schema(state["catalog"], "demo-schema")
    state["ml"] = DerivaML(host, catalog_id=state["catalog"].catalog_id, default_schema="demo-schema",
                           working_dir=str(work), logging_level=logging.WARNING)


def populate():
    ml = state["ml"]
    ml.add_term(MLVocab.workflow_type, "Demo Catalog Creation", description="Creates and populates a demo catalog.")
    workflow = ml.create_workflow(name="Demo Creation", workflow_type="Demo Catalog Creation")
    execution = ml.create_execution(workflow=workflow, configuration=ExecutionConfiguration())
    with execution.execute() as exe:
        populate_demo_catalog(exe)
        create_demo_features(exe)
        state["datasets"] = create_demo_datasets(exe)
    execution.upload_execution_outputs()
    state["execution"] = execution
    return f"execution {execution.execution_rid}"


def assets():
    listed = state["ml"].list_assets("Image")
    assert len(listed) > 0, "no Image assets"
    return f"{len(listed)} images"


def datasets():
    listed = list(state["ml"].find_datasets())
    assert len(listed) > 0, "no datasets"
    state["dataset"] = state["datasets"].dataset
    return f"{len(listed)} datasets"


def release():
    dataset = state["dataset"]
    released = dataset.release(VersionPart.minor, description="story release")
    state["version"] = released
    return f"version {released}"


def bag():
    dataset = state["dataset"]
    downloaded = dataset.download_dataset_bag(version=state["version"], materialize=False)
    return f"bag at {getattr(downloaded, 'path', downloaded)}"


def bag_materialized():
    dataset = state["dataset"]
    downloaded = dataset.download_dataset_bag(version=state["version"], materialize=True)
    return f"materialized bag at {getattr(downloaded, 'path', downloaded)}"


def lineage():
    ml = state["ml"]
    image = ml.list_assets("Image")[0]
    rid = image["RID"] if isinstance(image, dict) else image.asset_rid
    producers = ml.list_asset_executions(rid, asset_role="Output")
    assert producers, f"no execution produced image {rid}"
    tree = ml.lookup_lineage(state["dataset"].dataset_rid)
    return f"image {rid} made by {len(producers)} execution(s); dataset lineage {type(tree).__name__}"


steps = [("create_ml_catalog", catalog), ("domain schema and DerivaML", domain),
         ("vocabulary, workflow, execution, assets, features, datasets, upload", populate),
         ("list_assets", assets), ("find_datasets", datasets), ("release", release),
         ("download_dataset_bag", bag), ("download_dataset_bag materialized", bag_materialized),
         ("lineage", lineage)]
for index, (name, action) in enumerate(steps):
    if not step(name, action):
        # each step builds on the ones before it
        for skipped, _ in steps[index + 1:]:
            print(f"skip  {skipped}")
        break
print(f"{len(failed)} step(s) failed" + (": " + ", ".join(failed) if failed else ""))
sys.exit(len(failed))
