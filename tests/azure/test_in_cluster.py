"""In-cluster software on AKS: device plugin, per-pool service accounts with client ids, spot-first ranking."""

from __future__ import annotations

import yaml

from aimodel_infra.azure.in_cluster_plan import non_interactive_kubeconfig, priorities_text
from aimodel_infra.testing import ResourceGraph

from .view import CLUSTER, IDENTITY, one

SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
RELEASE = "kubernetes:helm.sh/v3:Release"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
K8S_PROVIDER = "pulumi:providers:kubernetes"


def test_every_pool_has_a_service_account_annotated_with_its_client_id(dev: ResourceGraph) -> None:
    accounts = {r.inputs["metadata"]["name"]: r.inputs["metadata"] for r in dev.of_type(SERVICE_ACCOUNT)}
    assert set(accounts) == {"train", "infer"}
    for pool, metadata in accounts.items():
        identity = one(dev, IDENTITY, f"azure-dev-{pool}-access-identity")
        assert metadata["namespace"] == "aimodel"
        assert metadata["annotations"] == {"azure.workload.identity/client-id": identity.outputs["clientId"]}


def test_the_device_plugin_is_pinned_and_runs_on_gpu_nodes_only(dev: ResourceGraph) -> None:
    (release,) = dev.of_type(RELEASE)
    assert (release.inputs["chart"], release.inputs["version"]) == ("nvidia-device-plugin", "0.20.0")
    values = release.inputs["values"]
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in values["tolerations"]
    terms = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [{"matchExpressions": [{"key": "aimodel-infra/accelerator", "operator": "Exists"}]}]


def test_spot_pools_rank_before_their_regular_fallback(dev: ResourceGraph) -> None:
    (config_map,) = dev.of_type(CONFIG_MAP)
    metadata = config_map.inputs["metadata"]
    assert (metadata["name"], metadata["namespace"]) == ("cluster-autoscaler-priority-expander", "kube-system")
    ranking = yaml.safe_load(config_map.inputs["data"]["priorities"])
    assert ranking == {50: ["^aks-[a-z0-9]+spot-.*"], 10: ["^aks-[a-z0-9]+reg-.*"]}
    assert config_map.inputs["data"]["priorities"] == priorities_text()


def test_aks_vm_scale_set_names_fall_into_the_right_rank() -> None:
    import re

    ranking = yaml.safe_load(priorities_text())
    spot, regular = ranking[50][0], ranking[10][0]
    assert re.match(spot, "aks-trainspot-12345678-vmss") and not re.match(regular, "aks-trainspot-12345678-vmss")
    assert re.match(regular, "aks-trainreg-12345678-vmss") and not re.match(spot, "aks-trainreg-12345678-vmss")
    assert not re.match(spot, "aks-myspotreg-12345678-vmss")  # a Regular pool of a pool named 'myspot'


def test_the_cluster_autoscaler_uses_the_priority_expander_and_the_spec_scale_down_time(dev: ResourceGraph) -> None:
    profile = one(dev, CLUSTER).inputs["autoScalerProfile"]
    assert profile["expander"] == "priority"
    assert profile["scaleDownUnneededTime"] == profile["scaleDownDelayAfterAdd"]
    assert profile["scaleDownUnneededTime"].endswith("m")


def test_the_kubernetes_provider_logs_in_through_the_azure_cli_not_a_device_code() -> None:
    exec_user = {"exec": {"command": "kubelogin", "args": ["get-token", "--login", "devicecode", "--server-id", "x"]}}
    config = yaml.safe_dump({"users": [{"name": "u", "user": exec_user}]})
    args = yaml.safe_load(non_interactive_kubeconfig(config))["users"][0]["user"]["exec"]["args"]
    assert args == ["get-token", "--login", "azurecli", "--server-id", "x"]


def test_the_kubernetes_provider_gets_the_cluster_kubeconfig_as_a_secret(dev: ResourceGraph) -> None:
    (provider,) = dev.of_type(K8S_PROVIDER)
    assert "kubeconfig" in provider.secret_inputs
    assert "--login" in provider.inputs["kubeconfig"] and "azurecli" in provider.inputs["kubeconfig"]


def test_nothing_in_cluster_when_the_spec_turns_it_off(graph_of, document_variant) -> None:
    graph = graph_of(document_variant(cluster={"in_cluster": {"enabled": False}}))
    assert not [r for r in graph.resources if r.type.startswith(("kubernetes:", "pulumi:providers:kubernetes"))]
