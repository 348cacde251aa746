"""The VPC: custom mode, one regional subnet with pod/service ranges and Private Google Access,
one regional Cloud NAT whatever the NAT mode (none without), and no firewall opening."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aimodel_infra.testing import ResourceGraph

from .example_stack import run_document

NETWORK = "gcp:compute/network:Network"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
ROUTER = "gcp:compute/router:Router"
NAT = "gcp:compute/routerNat:RouterNat"


def test_the_vpc_is_custom_mode_with_its_default_route_kept(graph: ResourceGraph) -> None:
    network = graph.one(NETWORK)
    assert network.inputs["autoCreateSubnetworks"] is False
    assert network.inputs["routingMode"] == "REGIONAL"
    assert network.inputs.get("deleteDefaultRoutesOnCreate") in (None, False)


def test_one_regional_subnet_holds_nodes_pods_and_services_and_reaches_google_privately(graph: ResourceGraph) -> None:
    subnet = graph.one(SUBNET)
    assert subnet.inputs["region"] == "us-central1"
    assert subnet.inputs["ipCidrRange"] == "10.10.0.0/16"
    assert subnet.inputs["privateIpGoogleAccess"] is True
    ranges = {r["rangeName"]: r["ipCidrRange"] for r in subnet.inputs["secondaryIpRanges"]}
    assert ranges == {"pods": "10.244.0.0/16", "services": "172.20.0.0/16"}
    assert subnet.inputs["network"] == graph.one(NETWORK).id


def test_cloud_nat_covers_every_range_with_dynamic_ports_and_logs_errors(graph: ResourceGraph) -> None:
    nat = graph.one(NAT)
    router = graph.one(ROUTER)
    assert nat.inputs["router"] == router.outputs["name"]
    assert nat.inputs["region"] == router.inputs["region"] == "us-central1"
    assert nat.inputs["natIpAllocateOption"] == "AUTO_ONLY"
    assert nat.inputs["sourceSubnetworkIpRangesToNat"] == "ALL_SUBNETWORKS_ALL_IP_RANGES"
    assert nat.inputs["enableDynamicPortAllocation"] is True
    assert nat.inputs["enableEndpointIndependentMapping"] is False
    assert nat.inputs["logConfig"] == {"enable": True, "filter": "ERRORS_ONLY"}


def test_no_firewall_rule_is_opened(graph: ResourceGraph) -> None:
    assert not graph.of_type("gcp:compute/firewall:Firewall")


@pytest.mark.parametrize(("mode", "nats"), [("single", 1), ("per-zone", 1), ("none", 0)])
def test_per_zone_builds_the_same_single_regional_nat_and_none_builds_none(
    document_variant: Callable[..., dict[str, Any]], mode: str, nats: int
) -> None:
    graph = run_document(document_variant(network={"nat": mode}), preview=True)
    assert len(graph.of_type(NAT)) == len(graph.of_type(ROUTER)) == nats
