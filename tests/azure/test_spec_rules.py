"""What Azure refuses in an otherwise valid spec: reported offline, by field path, before any resource."""

from __future__ import annotations

import pytest

from aimodel_infra.azure.spec_rules import azure_problems
from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import Problem, SpecError
from aimodel_infra.registry import spec_problems
from aimodel_infra.spec.loader import parse_environment
from aimodel_infra.spec.models import Environment

from .example_stack import SSH_KEY, SUBSCRIPTION


def at(problems: list[Problem], path: str) -> str:
    found = [p.message for p in problems if p.path == path]
    assert found, f"no problem at {path}; got {problems}"
    return found[0]


def test_the_example_stack_has_no_azure_problem(azure_env: Environment, catalog: Catalog) -> None:
    assert azure_problems(azure_env, catalog) == []


def test_validate_runs_the_azure_rules_through_the_registry(document_variant, catalog: Catalog) -> None:
    with pytest.raises(SpecError) as error:
        parse_environment(document_variant(network={"nat": "per-zone"}), catalog)
    assert "network.nat" in str(error.value)


def test_a_missing_azure_block_names_the_setting_and_shows_an_example(azure_document, catalog: Catalog) -> None:
    doc = {k: v for k, v in azure_document.items() if k != "azure"}
    message = at(spec_problems(Environment.model_validate(doc), catalog), "azure")
    assert "subscription_id" in message


def test_per_zone_nat_is_refused_with_the_reason_and_the_alternative(env_variant, catalog: Catalog) -> None:
    message = at(azure_problems(env_variant(network={"nat": "per-zone"}), catalog), "network.nat")
    assert "'per-zone' has no Azure equivalent" in message and "use 'single'" in message


def test_no_nat_with_a_cluster_is_refused(env_variant, catalog: Catalog) -> None:
    message = at(azure_problems(env_variant(network={"nat": "none"}), catalog), "network.nat")
    assert "outbound" in message


def test_no_nat_without_a_cluster_is_allowed(env_variant, catalog: Catalog) -> None:
    env = env_variant(network={"nat": "none"}, cluster=None, node_pools=[])
    assert [p for p in azure_problems(env, catalog) if p.path == "network.nat"] == []


@pytest.mark.parametrize(
    ("field", "cidr"),
    [("service_cidr", "172.30.0.0/16"), ("pod_cidr", "172.31.0.0/16"), ("cidr", "172.31.0.0/16")],
)
def test_ranges_aks_reserves_are_refused(env_variant, catalog: Catalog, field: str, cidr: str) -> None:
    message = at(azure_problems(env_variant(network={field: cidr}), catalog), f"network.{field}")
    assert "AKS reserves" in message


def test_an_lts_only_version_needs_the_premium_tier(env_variant, catalog: Catalog) -> None:
    message = at(
        azure_problems(env_variant(cluster={"kubernetes_version": "1.33"}), catalog), "cluster.kubernetes_version"
    )
    assert "long-term support" in message and "Premium" in message and "got tier Standard" in message
    assert "1.35" in message  # names the standard-support versions to use instead


def test_the_premium_tier_allows_an_lts_only_version(env_variant, catalog: Catalog) -> None:
    env = env_variant(cluster={"kubernetes_version": "1.33"}, azure={"cluster_tier": "Premium"})
    assert azure_problems(env, catalog) == []


def test_a_version_aks_does_not_offer_is_refused_with_the_offered_ones(env_variant, catalog: Catalog) -> None:
    message = at(
        azure_problems(env_variant(cluster={"kubernetes_version": "1.99"}), catalog), "cluster.kubernetes_version"
    )
    assert "does not offer" in message and "1.34" in message


def test_abort_uploads_other_than_seven_days_is_refused_because_azure_fixes_it(env_variant, azure_document, catalog):
    buckets = [dict(azure_document["buckets"][0], lifecycle={"abort_incomplete_uploads_after_days": 3})]
    message = at(
        azure_problems(env_variant(buckets=buckets), catalog),
        "buckets[0].lifecycle.abort_incomplete_uploads_after_days",
    )
    assert "7 days" in message and "got 3" in message


def test_more_than_four_thresholds_exceed_the_five_notifications_of_a_budget(env_variant, catalog: Catalog) -> None:
    env = env_variant(budget={"alert_thresholds_percent": [10, 20, 30, 40, 50]})
    assert "at most 5 notifications" in at(azure_problems(env, catalog), "budget.alert_thresholds_percent")
    assert azure_problems(env_variant(budget={"alert_thresholds_percent": [10, 20, 30, 40]}), catalog) == []


def test_vm_groups_need_an_ssh_key(env_variant, catalog: Catalog) -> None:
    group = {"name": "batch", "accelerator": "T4", "max_nodes": 2}
    message = at(azure_problems(env_variant(autoscaling_groups=[group]), catalog), "azure.ssh_public_key")
    assert "SSH key" in message
    env = env_variant(autoscaling_groups=[group], azure={"subscription_id": SUBSCRIPTION, "ssh_public_key": SSH_KEY})
    assert azure_problems(env, catalog) == []


def test_labels_and_taints_in_the_aks_namespace_are_refused(env_variant, azure_document, catalog) -> None:
    pool = dict(
        azure_document["node_pools"][1],
        labels={"kubernetes.azure.com/mode": "user"},
        taints=[{"key": "kubernetes.azure.com/scalesetpriority", "value": "spot"}],
    )
    problems = azure_problems(env_variant(node_pools=[pool]), catalog)
    assert "AKS reserves" in at(problems, "node_pools[0].labels")
    assert "AKS reserves" in at(problems, "node_pools[0].taints[0].key")


def test_a_customer_key_must_be_a_key_vault_key_resource_id(env_variant, azure_document, catalog) -> None:
    bucket = dict(azure_document["buckets"][0], customer_key_id="arn:aws:kms:us-east-1:123456789012:key/k")
    assert "Key Vault key resource id" in at(
        azure_problems(env_variant(buckets=[bucket]), catalog), "buckets[0].customer_key_id"
    )
    vault = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/keys/providers/Microsoft.KeyVault/vaults/team-kv"
    key_id = f"{vault}/keys/checkpoints"
    assert azure_problems(env_variant(buckets=[dict(bucket, customer_key_id=key_id)]), catalog) == []


def test_a_key_url_is_refused_because_it_does_not_name_the_vaults_resource_group(env_variant, azure_document, catalog):
    bucket = dict(azure_document["buckets"][0], customer_key_id="https://team-kv.vault.azure.net/keys/checkpoints")
    message = at(azure_problems(env_variant(buckets=[bucket]), catalog), "buckets[0].customer_key_id")
    assert "does not name the vault's resource group" in message and "/providers/Microsoft.KeyVault/vaults/" in message
