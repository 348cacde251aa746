"""A seeded generator of careless and hostile specs, and a runner that feeds each through every command.

Every case starts from one of the committed example stacks (one per cloud) and applies one
mutation. Two kinds:

* **nonsense** (``must_fail=True``): a class issue 14 lists (a duplicate YAML key, ``zones: true``,
  ``1.３３``, a bare ``10.0.0.0`` pod range, 64 x 1000 nodes on a /20, two names that derive one
  URN...). ``validate`` must refuse it (exit 1, one JSON error document naming a problem).
* **random** (``must_fail=False``): a random key dropped, a value swapped for another type, a random
  or generated name. Any outcome is fine except a crash, a hang, or output that is not one JSON
  document; and a spec ``validate`` accepts must also pass through ``preview`` without the recorder
  refusing a duplicate URN.

The runner invokes the real CLI in-process (``--json`` always) and classifies every run; see
:func:`run_case`. The quick variant in the suite and ``benchmarks/fuzz_inputs.py`` share it.
"""

from __future__ import annotations

import copy
import json
import random
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_KEY = "aimodel-infra:environment"
STACKS = ("aws-dev", "gcp-dev", "azure-dev")
COMMANDS = ("validate", "cost", "compare", "preview", "diff")
#: A run slower than this is a hang (the slowest honest run, an AWS preview, takes a few seconds).
HANG_SECONDS = 60.0


def stack_document(stack: str) -> dict[str, Any]:
    document = yaml.safe_load((REPO_ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())
    return copy.deepcopy(document["config"][CONFIG_KEY])


@dataclass(frozen=True)
class Case:
    """One generated input: the YAML text of a spec file, and whether validation must refuse it."""

    stack: str
    mutation: str
    text: str
    must_fail: bool


# -- nonsense: every class issue 14 lists, per cloud ------------------------------------------------
def _dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _first_pool(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["node_pools"][0]


def _with(doc: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> str:
    changed = copy.deepcopy(doc)
    change(changed)
    return _dump(changed)


def _duplicate_key(doc: dict[str, Any], rng: random.Random) -> str:
    key = rng.choice(["name", "region", "cloud"])
    text = _dump(doc)
    return text + f"{key}: {json.dumps(doc[key])}\n"


def _duplicate_nested_key(doc: dict[str, Any], rng: random.Random) -> str:
    text = _dump(doc)
    return text.replace("  max_nodes:", "  max_nodes: 999\n  max_nodes:", 1)


def _unquoted_version(doc: dict[str, Any], rng: random.Random) -> str:
    changed = copy.deepcopy(doc)
    changed["cluster"] = {**(changed.get("cluster") or {}), "kubernetes_version": "1.30"}
    return _dump(changed).replace("kubernetes_version: '1.30'", "kubernetes_version: 1.30")


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        node: Any = doc
        for part in path[:-1]:
            node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
        node[path[-1]] = value

    return change


def _bucket_field(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["buckets"][0].update({name: value})


def _bucket_lifecycle_days(doc: dict[str, Any]) -> None:
    doc["buckets"][0]["lifecycle"] = {"cold_after_days": 2**31}


def _customer_key(cloud_key: str) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["buckets"][0].update({"encryption": "customer-key", "customer_key_id": cloud_key})


FOREIGN_KEYS = {
    # A key of another cloud, and a key of the right cloud in another region.
    "aws": ["projects/p-123456/locations/us-central1/keyRings/r/cryptoKeys/k",
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    "gcp": ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "projects/p-123456/locations/europe-west4/keyRings/r/cryptoKeys/k"],
    "azure": ["projects/p-123456/locations/eastus/keyRings/r/cryptoKeys/k", "key with spaces"],
}  # fmt: skip


def _address_overflow(doc: dict[str, Any]) -> None:
    doc["network"] = {**doc.get("network", {}), "cidr": "10.0.0.0/20"}
    pool = _first_pool(doc)
    machine = {k: pool[k] for k in ("accelerator", "accelerator_count", "instance_type") if k in pool}
    doc["node_pools"] = [{"name": f"p{i}", **machine, "max_nodes": 1000} for i in range(64)]
    doc["autoscaling_groups"] = []
    doc["buckets"] = []


def _long_bucket_name(doc: dict[str, Any]) -> None:
    """Each name within its own bound, but '<environment>-<bucket>-<7 characters>' past 63."""
    doc["name"] = "environment-name-xyz"
    doc["buckets"][0]["name"] = "b" * 40


def _tags_and_labels(doc: dict[str, Any]) -> None:
    """40 tags and 20 labels: within the spec's bounds, past AWS's 50 tags and GCP's 64 labels per VM."""
    doc["tags"] = {f"t{i}": "v" for i in range(40)}
    _first_pool(doc)["labels"] = {f"l{i}": "v" for i in range(20)}


def _too_many_tags(doc: dict[str, Any]) -> None:
    doc["tags"] = {f"t{i}": "v" for i in range(60)}


def _colliding_names(rng: random.Random) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        base = rng.choice(["x", "train", "a1"])
        word = rng.choice(["access", "spot", "on-demand"])
        pool = dict(_first_pool(doc))
        pool.pop("labels", None)
        doc["node_pools"] = [
            {**pool, "name": base},
            {**pool, "name": f"{base}-{word}-{rng.choice(['b', 'node-template-label-w', 'c1'])}"},
        ]
        doc["autoscaling_groups"] = []
        doc["buckets"] = []

    return change


def _grant_collision(doc: dict[str, Any]) -> None:
    pool = dict(_first_pool(doc))
    doc["node_pools"] = [{**pool, "name": "x"}, {**pool, "name": "xb"}]
    doc["autoscaling_groups"] = []
    # 'x' + 'b-c' and 'x-b' would be ambiguous; here the grant names are computed and compared.
    doc["buckets"] = [
        {"name": "b-access-ccc", "purpose": "logs", "readers": ["x"]},
        {"name": "ccc", "purpose": "logs", "readers": ["x"]},
    ]
    doc["node_pools"][1]["name"] = "x-access-b"
    doc["buckets"][1]["readers"] = ["x-access-b"]


def nonsense_mutations(cloud: str, rng: random.Random) -> list[tuple[str, Callable[[dict[str, Any]], str]]]:
    """(class, doc -> YAML text) for every class of nonsense; all must fail validation."""

    def edit(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], str]:
        return lambda doc: _with(doc, change)

    unicode_hyphen = {"aws": "us\u2010east\u20101", "gcp": "us\u2010central1", "azure": "east\u00adus"}[cloud]
    image_field = ("autoscaling_groups", 0, "image")
    return [
        ("duplicate key", lambda doc: _duplicate_key(doc, rng)),
        ("duplicate nested key", lambda doc: _duplicate_nested_key(doc, rng)),
        ("unquoted kubernetes_version", lambda doc: _unquoted_version(doc, rng)),
        ("boolean as number", edit(_set(("network", "zones"), True))),
        ("boolean as max_nodes", edit(lambda doc: _first_pool(doc).update(max_nodes=True))),
        ("lifecycle days past 32 bits", edit(_bucket_lifecycle_days)),
        ("budget 1e-9", edit(_set(("budget", "monthly_usd"), 1e-9))),
        ("budget 1e308", edit(_set(("budget", "monthly_usd"), 1e308))),
        ("expected_size_gb 1e308", edit(_bucket_field("expected_size_gb", 1e308))),
        ("threshold 1e-9 percent", edit(_set(("budget", "alert_thresholds_percent"), [1e-9]))),
        ("key of another cloud", edit(_customer_key(FOREIGN_KEYS[cloud][0]))),
        ("key in another region or malformed", edit(_customer_key(FOREIGN_KEYS[cloud][1]))),
        ("label key prefix -/x", edit(lambda doc: _first_pool(doc).update(labels={"-/x": "v"}))),
        ("label key prefix a..b/x", edit(lambda doc: _first_pool(doc).update(labels={"a..b/x": "v"}))),
        ("label key prefix .x/y", edit(lambda doc: _first_pool(doc).update(labels={".x/y": "v"}))),
        ("label value with space", edit(lambda doc: _first_pool(doc).update(labels={"team": "a b"}))),
        ("taint key prefix", edit(lambda doc: _first_pool(doc).update(taints=[{"key": "a..b/x"}]))),
        ("kubernetes_version 1.00", edit(_set(("cluster", "kubernetes_version"), "1.00"))),
        ("kubernetes_version full-width", edit(_set(("cluster", "kubernetes_version"), "1.\uff13\uff13"))),
        ("kubernetes_version v1.33", edit(_set(("cluster", "kubernetes_version"), "v1.33"))),
        ("kubernetes_version newline", edit(_set(("cluster", "kubernetes_version"), "1.33\n"))),
        ("image with whitespace", edit(_image(image_field, "ami-0123456789abcdef0 x"))),
        ("image with control character", edit(_image(image_field, "deep-learning\x07"))),
        ("image of 1.2 MB", lambda doc: _with(doc, _image(image_field, "HUGE")).replace("HUGE", "a" * 1_200_000)),
        ("bucket name too long", edit(_long_bucket_name)),
        *([("labels and tags past the cloud's tag limit", edit(_tags_and_labels))] if cloud != "azure" else []),
        ("64 pools x 1000 nodes on a /20", edit(_address_overflow)),
        ("pod_cidr bare address", edit(_set(("network", "pod_cidr"), "10.200.0.0"))),
        ("60 tags", edit(_too_many_tags)),
        ("region with Unicode hyphens", edit(_set(("region",), unicode_hyphen))),
        ("name with full-width letter", edit(_set(("name",), "\uff41ws-dev"))),
        ("name with zero-width space", edit(_set(("name",), "dev\u200bx"))),
        ("pool name with RTL mark", edit(lambda doc: _first_pool(doc).update(name="tr\u202eain"))),
        ("pools deriving one name", edit(_colliding_names(rng))),
        ("grants deriving one name", edit(_grant_collision)),
        ("allowed_cidrs 0.0.0.0/0", edit(_set(("cluster",), OPEN_ENDPOINT))),
    ]  # fmt: skip


OPEN_ENDPOINT = {"public_endpoint": True, "allowed_cidrs": ["0.0.0.0/0"]}


def _image(path: tuple[Any, ...], value: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        if not doc.get("autoscaling_groups"):
            pool = _first_pool(doc)
            doc["autoscaling_groups"] = [{"name": "vms", "accelerator": pool.get("accelerator", "L4"), "max_nodes": 1}]
        doc["autoscaling_groups"][0]["image"] = value

    return change


# -- random: any outcome but a crash ---------------------------------------------------------------
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, 2**63, 1e308, "", "x" * 300, [], {}, ["a"], {"a": 1},
                         "10.0.0.0/33", "H100:0", "H100:99", "\u202e", "1e3", "spot", "null"]  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _random_name(rng: random.Random) -> str:
    """A valid spec name, often a prefix-plus-word of another one, to hunt derived-name collisions."""
    words = ["a", "x", "train", "spot", "on-demand", "access", "b", "ccc", "node", "label", "key", "w"]
    return "-".join(rng.choice(words) for _ in range(rng.randint(1, 4))).strip("-") or "a"


def random_mutation(doc: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    changed = copy.deepcopy(doc)
    kind = rng.choice(["drop", "replace", "rename", "names", "text"])
    paths = list(_paths(changed))
    target = rng.choice(paths)
    parent: Any = changed
    for part in target[:-1]:
        parent = parent[part]
    if kind == "drop":
        del parent[target[-1]]
    elif kind == "replace":
        parent[target[-1]] = rng.choice(ODD_VALUES)
    elif kind == "rename" and isinstance(target[-1], str):
        parent[target[-1] + rng.choice(["s", "_", " "])] = parent.pop(target[-1])
    elif kind == "names":
        for item in [*changed.get("node_pools", []), *changed.get("autoscaling_groups", [])]:
            item["name"] = _random_name(rng)
        for bucket in changed.get("buckets", []):
            bucket["name"] = _random_name(rng) + rng.choice(["", "-data", "-ccc"])
            bucket["readers"] = [c["name"] for c in changed.get("node_pools", [])[:1]]
            bucket["writers"] = []
    else:
        text = _dump(changed)
        cut = rng.randrange(len(text))
        junk = rng.choice(["\t", ":", "- ", "&a ", "*a", "{", "]", "\x00", "\udcff", "!!python/object "])
        return f"random text {junk!r}", text[:cut] + junk + text[cut:]
    return f"random {kind} {'.'.join(map(str, target))}", _dump(changed)


def generate(seed: int, per_stack_random: int, *, nonsense: bool = True) -> list[Case]:
    """Every nonsense class for every stack, plus ``per_stack_random`` random mutations each."""
    rng = random.Random(seed)
    cases = []
    for stack in STACKS:
        doc = stack_document(stack)
        if nonsense:
            for name, mutate in nonsense_mutations(doc["cloud"], rng):
                cases.append(Case(stack, name, mutate(doc), must_fail=True))
        for _ in range(per_stack_random):
            name, text = random_mutation(doc, rng)
            cases.append(Case(stack, name, text, must_fail=False))
    return cases


# -- the runner ------------------------------------------------------------------------------------
@dataclass
class Outcome:
    case: Case
    command: str
    exit_code: int
    seconds: float
    payload: Any = None
    failure: str | None = None  # None: the run behaved


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failure]

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for outcome in self.failures:
            kinds[outcome.failure.split(":")[0]] = kinds.get(outcome.failure.split(":")[0], 0) + 1  # type: ignore[union-attr]
        return ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())) or "no failures"


def write_case(case: Case, directory: Path, index: int) -> Path:
    path = directory / f"case-{index}.yaml"
    path.write_bytes(case.text.encode("utf-8", "surrogateescape"))
    return path


def command_line(command: str, case: Case, path: Path) -> list[str]:
    if command == "diff":
        return ["--json", "diff", case.stack, str(path)]
    return ["--json", command, str(path)]


def run_case(invoke: Callable[[list[str]], Any], case: Case, path: Path, commands: tuple[str, ...]) -> list[Outcome]:
    """Run ``case`` through ``commands`` with ``invoke`` (a CliRunner call) and judge each run.

    A failure is one of: ``crash`` (an exception that is not a clean exit), ``bad exit`` (not 0 or
    1), ``invalid JSON`` (stdout is not exactly one JSON document), ``hang`` (slower than
    HANG_SECONDS), ``accepted`` (validate passed a nonsense case), ``duplicate URN`` (validate
    passed a spec whose graph pulumi up would refuse).
    """
    outcomes = []
    validated = False
    for command in commands:
        started = time.perf_counter()
        result = invoke(command_line(command, case, path))
        seconds = time.perf_counter() - started
        outcome = Outcome(case, command, result.exit_code, seconds)
        outcome.failure = _judge(result, seconds)
        if outcome.failure is None:
            outcome.payload = json.loads(result.stdout)
            if command == "validate":
                validated = result.exit_code == 0
                if case.must_fail and validated:
                    outcome.failure = "accepted: validate passed a nonsense case"
            if command == "preview" and validated and outcome.payload.get("kind") == "DuplicateUrnError":
                outcome.failure = f"duplicate URN: {outcome.payload['error']}"
        outcomes.append(outcome)
    return outcomes


def _judge(result: Any, seconds: float) -> str | None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"crash: {type(result.exception).__name__}: {str(result.exception)[:200]}"
    if result.exit_code not in (0, 1):
        return f"bad exit: {result.exit_code}"
    if seconds > HANG_SECONDS:
        return f"hang: {seconds:.0f} s"
    try:
        json.loads(result.stdout, parse_constant=_no_constants)
    except ValueError as exc:
        return f"invalid JSON: {exc}: {result.stdout[:120]!r}"
    return None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def random_suffix(rng: random.Random, n: int = 6) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))
