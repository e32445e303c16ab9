"""Each seed system's main story, as a short script, runs against a real Cairn."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("script", ["derivaml.py", "aios.py", "pangolin.py", "asset_manager.py", "flowyml.py"])
def test_example_runs(script, client, tmp_path):
    catalog = client.create_catalog(f"example-{script[:-3]}-{os.getpid()}-{tmp_path.name[-6:]}", domain_schema="demo")
    env = dict(os.environ, CAIRN_CATALOG=catalog.id)
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip()
    print(done.stdout)
