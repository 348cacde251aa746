"""The README's first GPU job works as written against what every cloud's stack records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aimodel_infra.catalog import default_catalog
from aimodel_infra.preview import record_environment
from aimodel_infra.registry import REGISTRY, support
from aimodel_infra.spec import Cloud, load_spec

README = Path(__file__).resolve().parents[1] / "README.md"


def first_gpu_job() -> dict:
    section = README.read_text(encoding="utf-8").split("### A first GPU job", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the section has a YAML manifest"
    return yaml.safe_load(block.group(1))


@pytest.mark.parametrize("cloud", list(REGISTRY), ids=str)
def test_the_first_gpu_job_matches_the_recorded_stack(cloud: Cloud) -> None:
    if not support(cloud).has_builder:
        pytest.skip(f"{cloud.value} has no builder yet")
    job = first_gpu_job()
    pod = job["spec"]["template"]["spec"]
    env = load_spec(f"{cloud.value}-dev")
    graph = record_environment(env, default_catalog())
    pool = next(p for p in env.node_pools if p.name == pod["nodeSelector"]["aimodel-infra/pool"])

    accounts = {
        (r.inputs["metadata"]["namespace"], r.inputs["metadata"]["name"])
        for r in graph.of_type("kubernetes:core/v1:ServiceAccount")
    }
    assert (job["metadata"]["namespace"], pod["serviceAccountName"]) in accounts
    gpus = pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"]
    assert gpus == pool.accelerator_count
    facts = [f for f in support(cloud).load_graph_facts()(graph) if f.compute == pool.name]
    assert facts and all(f.gpu_taint for f in facts)
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
