"""Values that pass a type check but mean nothing are refused, with the bound said and the value echoed."""

from __future__ import annotations

import pytest


def _pool(make_doc, **fields):
    return make_doc(
        node_pools=[{"name": "train", "accelerator": "H100", "accelerator_count": 8, "max_nodes": 2, **fields}]
    )


def test_a_boolean_is_no_number(make_doc, problem_at) -> None:
    assert problem_at(make_doc(network={"zones": True}), "network.zones") == "must be a number, got the boolean true"


@pytest.mark.parametrize(
    ("budget", "path", "says"),
    [
        ({"monthly_usd": 1e-9}, "budget.monthly_usd", "greater than or equal to 1; got 1e-09"),
        ({"monthly_usd": 1e308}, "budget.monthly_usd", "less than or equal to 100000000; got 1e+308"),
        ({"monthly_usd": 100, "alert_thresholds_percent": [1e-9]}, "budget.alert_thresholds_percent[0]", "got 1e-09"),
    ],
)
def test_budget_numbers_have_sane_bounds(make_doc, problem_at, budget, path, says) -> None:
    doc = make_doc(budget={"alert_emails": ["ops@example.com"], **budget})
    assert says in problem_at(doc, path)


def test_lifecycle_days_stay_far_below_32_bits(make_doc, problem_at) -> None:
    doc = make_doc(buckets=[{"name": "data", "purpose": "datasets", "lifecycle": {"cold_after_days": 2**31}}])
    assert "36500; got 2147483648" in problem_at(doc, "buckets[0].lifecycle.cold_after_days")


@pytest.mark.parametrize("key", ["-/x", "a..b/x", ".x/y", "x./y"])
def test_label_key_prefixes_must_be_dns_subdomains(make_doc, problem_at, key) -> None:
    message = problem_at(_pool(make_doc, labels={key: "v"}), f"node_pools[0].labels.{key}")
    assert message.startswith(f"key {key!r}: must be a Kubernetes label key")
    assert "pattern" not in message and "^" not in message  # said in words, not as a regex


def test_a_valid_dns_prefix_is_accepted(make_doc, parse) -> None:
    env = parse(_pool(make_doc, labels={"team.example.com/owner": "ml"}, taints=[{"key": "example.com/x"}]))
    assert env.node_pools[0].labels == {"team.example.com/owner": "ml"}


@pytest.mark.parametrize("version", ["1.00", "v1.33", "1.033", "1.３３", "1.33\n", " 1.33"])
def test_kubernetes_version_syntax_is_strict(make_doc, problems, version) -> None:
    found = problems(make_doc(cluster={"kubernetes_version": version}))
    assert [p.path for p in found] == ["cluster.kubernetes_version"]


def test_an_unquoted_version_says_to_quote_it(make_doc, problem_at) -> None:
    message = problem_at(make_doc(cluster={"kubernetes_version": 1.3}), "cluster.kubernetes_version")
    assert 'quote it: kubernetes_version: "1.30"' in message


def test_a_bare_address_is_no_network(make_doc, problem_at) -> None:
    message = problem_at(make_doc(network={"pod_cidr": "10.200.0.0"}), "network.pod_cidr")
    assert message == "'10.200.0.0' has no prefix length; write the network as 10.0.0.0/16"


def test_the_whole_internet_is_refused_unless_the_rule_is_waived(make_doc, problem_at, parse) -> None:
    cluster = {"public_endpoint": True, "allowed_cidrs": ["0.0.0.0/0"]}
    assert "cluster-endpoint-restricted" in problem_at(make_doc(cluster=cluster), "cluster.allowed_cidrs[0]")
    waiver = [{"rule": "cluster-endpoint-restricted", "reason": "a demo cluster, torn down tonight"}]
    assert parse(make_doc(cluster=cluster, policy_exceptions=waiver)).cluster is not None


def test_an_image_string_is_bounded_and_checked_in_linear_time(make_doc, problem_at) -> None:
    group = {"name": "vms", "accelerator": "H100:8", "max_nodes": 1, "image": "a" * 1_200_000}
    message = problem_at(make_doc(autoscaling_groups=[group]), "autoscaling_groups[0].image")
    assert "at most 1024 characters" in message and "(1200000 characters)" in message


def test_messages_say_patterns_in_words(make_doc, problems) -> None:
    doc = make_doc(tags={"Bad Key": "Bad Value"}, budget={"monthly_usd": 10, "alert_emails": ["nope"]})
    messages = [p.message for p in problems(doc)]
    assert not [m for m in messages if "pattern" in m or "^" in m], messages
    assert (
        "key 'Bad Key': must be a tag key: lowercase letters, digits, '_' and '-', starting with a letter; "
        "got 'Bad Key'" in messages
    )
    assert "must be a tag value: lowercase letters, digits, '_' and '-' (or empty); got 'Bad Value'" in messages


def test_a_pool_named_like_another_pools_derived_names_is_refused(make_doc, problems) -> None:
    pool = {"accelerator": "H100", "accelerator_count": 8, "max_nodes": 1}
    doc = make_doc(node_pools=[{"name": "a", **pool}, {"name": "a-spot-node-template-label-w", **pool}])
    [problem] = problems(doc)
    assert problem.path == "node_pools[1].name" and "'a' plus '-spot'" in problem.message


def test_pools_sharing_a_prefix_without_a_derivation_word_are_fine(make_doc, parse) -> None:
    pool = {"accelerator": "H100", "accelerator_count": 8, "max_nodes": 1}
    assert len(parse(make_doc(node_pools=[{"name": "train", **pool}, {"name": "train-large", **pool}])).node_pools) == 2


def test_an_accelerator_without_count_suggests_the_count_the_cloud_sells(make_doc, problem_at) -> None:
    doc = make_doc(node_pools=[{"name": "train", "accelerator": "H100", "max_nodes": 1}])
    message = problem_at(doc, "node_pools[0].accelerator")
    assert "set accelerator_count: 8" in message and "p5.48xlarge" in message
