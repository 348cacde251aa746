"""The VPC every node lives in: one custom-mode network, one regional subnet, Cloud NAT.

- Custom mode (``auto_create_subnetworks=False``): no subnet in every region by surprise.
- One **regional** subnet of ``network.cidr`` (GCP subnets span all zones of a region), with
  secondary ranges ``pods`` (``network.pod_cidr``) and ``services`` (``network.service_cidr``) for
  a VPC-native GKE cluster.
- Private Google Access on the subnet: nodes without external IPs reach Google APIs, Cloud Storage
  and Artifact Registry directly, so dataset and checkpoint traffic never passes (or pays) NAT.
- Outbound internet through Cloud Router + Cloud NAT, for registries outside Google (Docker Hub,
  nvcr.io) and package mirrors. Cloud NAT is a **regional**, managed service: ``single`` and
  ``per-zone`` build the same single Router + NAT (there is no per-zone gateway to add on GCP);
  ``none`` builds neither, leaving only Google APIs reachable. NAT covers every range of the subnet,
  pods included, and uses dynamic port allocation so GPU nodes pulling large images in parallel
  do not run out of ports.
- No firewall rule is added: a custom-mode VPC denies all ingress by default, and GKE creates
  the rules its private cluster needs (control plane to nodes) itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pulumi
import pulumi_gcp as gcp

from aimodel_infra.gcp.context import GcpContext
from aimodel_infra.gcp.network_plan import PODS_RANGE, SERVICES_RANGE, builds_nat, secondary_ranges
from aimodel_infra.spec.models import Network as NetworkSpec

TYPE_TOKEN: Final = "aimodel:gcp:Network"
#: Dynamic port allocation between these bounds (powers of two, as Cloud NAT requires).
MIN_PORTS_PER_VM: Final = 64
MAX_PORTS_PER_VM: Final = 4096


# -- component ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class NetworkArgs:
    network: NetworkSpec
    context: GcpContext


class Network(pulumi.ComponentResource):
    """The environment's VPC.

    Exposes ``network_id``, ``network_self_link``, ``subnetwork_id``, ``subnetwork_self_link``,
    ``pods_range`` and ``services_range`` (secondary range names), ``router`` and ``nat`` (None
    with ``nat: none``).
    """

    network_id: pulumi.Output[str]
    subnetwork_id: pulumi.Output[str]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        spec, context = args.network, args.context
        child = pulumi.ResourceOptions(parent=self)
        self.network = gcp.compute.Network(
            f"{name}-vpc",
            project=context.project,
            description=f"aimodel-infra environment {context.env.name}",
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            # Private Google Access and Cloud NAT both use the default internet route.
            delete_default_routes_on_create=False,
            opts=child,
        )
        self.subnetwork = gcp.compute.Subnetwork(
            f"{name}-nodes",
            project=context.project,
            region=context.region,
            network=self.network.id,
            ip_cidr_range=str(spec.cidr),
            private_ip_google_access=True,
            secondary_ip_ranges=secondary_ranges(spec),
            opts=child,
        )
        self.network_id = self.network.id
        self.network_self_link = self.network.self_link
        self.subnetwork_id = self.subnetwork.id
        self.subnetwork_self_link = self.subnetwork.self_link
        self.pods_range = PODS_RANGE
        self.services_range = SERVICES_RANGE
        self.router: gcp.compute.Router | None = None
        self.nat: gcp.compute.RouterNat | None = None
        if builds_nat(spec.nat):
            self.router = gcp.compute.Router(
                f"{name}-router", project=context.project, region=context.region, network=self.network.id, opts=child
            )
            self.nat = gcp.compute.RouterNat(
                f"{name}-nat",
                project=context.project,
                region=context.region,
                router=self.router.name,
                nat_ip_allocate_option="AUTO_ONLY",
                source_subnetwork_ip_ranges_to_nat="ALL_SUBNETWORKS_ALL_IP_RANGES",
                enable_dynamic_port_allocation=True,
                # Dynamic port allocation requires endpoint-independent mapping off.
                enable_endpoint_independent_mapping=False,
                min_ports_per_vm=MIN_PORTS_PER_VM,
                max_ports_per_vm=MAX_PORTS_PER_VM,
                log_config={"enable": True, "filter": "ERRORS_ONLY"},
                opts=child,
            )
        self.register_outputs({"network_id": self.network_id, "subnetwork_id": self.subnetwork_id})
