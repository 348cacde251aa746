"""The AWS gpu-quota preflight: vCPUs per EC2 quota the aws-dev graph needs at its largest."""

from __future__ import annotations

import pytest

from aimodel_infra.aws.policy import CHECKS
from aimodel_infra.aws.policy.quota import quota_name
from aimodel_infra.policy.engine import evaluate
from aimodel_infra.spec import load_spec

from ..example_stack import mocks_run


@pytest.mark.parametrize(
    ("instance_type", "spot", "quota"),
    [
        ("p5.48xlarge", True, "All P Spot Instance Requests"),
        ("p5.48xlarge", False, "Running On-Demand P instances"),
        ("g6.xlarge", False, "Running On-Demand G and VT instances"),
        ("g5.xlarge", True, "All G and VT Spot Instance Requests"),
        ("inf2.xlarge", False, "Running On-Demand Inf instances"),
        ("trn1.32xlarge", True, "All Trn Spot Instance Requests"),
        ("m6i.large", False, "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances"),
    ],
)
def test_instance_types_map_to_the_ec2_quota_names(instance_type: str, spot: bool, quota: str) -> None:
    assert quota_name(instance_type, spot) == quota


def test_aws_dev_needs_its_pools_vcpus_at_their_maximum() -> None:
    report = evaluate(mocks_run(), load_spec("aws-dev"), CHECKS, only=["gpu-quota"])
    messages = {f.message for f in report.findings}
    assert "needs up to 384 vCPUs of the EC2 quota 'All P Spot Instance Requests' in us-east-1" in messages  # 2 x 192
    assert "needs up to 384 vCPUs of the EC2 quota 'Running On-Demand P instances' in us-east-1" in messages
    assert "needs up to 16 vCPUs of the EC2 quota 'All G and VT Spot Instance Requests' in us-east-1" in messages
    assert all(f.severity.value == "advisory" for f in report.findings)
