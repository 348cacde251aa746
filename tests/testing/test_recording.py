"""run_program records the graph a program registers, and runs stay independent."""

from __future__ import annotations

import asyncio

import pulumi
import pulumi_aws as aws
import pytest
from pulumi.runtime import settings
from pulumi.runtime.config import CONFIG

from aimodel_infra.testing import RecordedResource, ResourceGraph, run_program

BUCKET = "aws:s3/bucket:Bucket"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"


class Store(pulumi.ComponentResource):
    """A tiny component: a bucket plus its versioning, parented to the component."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aimodel:test:Store", name, None, opts)
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            tags={"owner": name},
            opts=pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True),
        )
        aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=self.bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=pulumi.ResourceOptions(parent=self.bucket),
        )
        self.register_outputs({"bucketName": self.bucket.bucket})


def network_program() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    aws.ec2.Subnet(
        "private",
        vpc_id=vpc.id,
        cidr_block="10.0.1.0/24",
        opts=pulumi.ResourceOptions(ignore_changes=["tags"], delete_before_replace=True),
    )
    store = Store("artifacts", opts=pulumi.ResourceOptions(depends_on=[vpc]))
    pulumi.export("vpcId", vpc.id)
    pulumi.export("bucket", store.bucket.bucket)
    pulumi.export("password", pulumi.Output.secret("hunter2"))
    pulumi.export("nested", {"count": 3, "ratio": 0.5, "names": ["a", "b"]})


@pytest.fixture(scope="module")
def graph() -> ResourceGraph:
    return run_program(network_program)


def test_records_every_resource_once_in_registration_order(graph: ResourceGraph) -> None:
    names = [r.name for r in graph.resources]
    assert sorted(names) == sorted(["vpc", "private", "artifacts", "artifacts-bucket", "artifacts-versioning"])
    assert names.index("vpc") < names.index("private")  # the subnet waits for the VPC id
    assert names.index("artifacts") < names.index("artifacts-bucket")


def test_parent_and_children(graph: ResourceGraph) -> None:
    store = graph.one("aimodel:test:Store")
    bucket = graph.one(BUCKET)
    versioning = graph.one("aws:s3/bucketVersioning:BucketVersioning")
    assert store.custom is False and store.id is None
    assert bucket.parent == store.urn
    assert graph.parent_of(bucket) == store
    assert graph.parent_of(store) is None  # top-level: parented by the stack
    assert store.parent == graph.stack_urn
    assert graph.children(store) == [bucket]
    assert {r.name for r in graph.descendants(store)} == {"artifacts-bucket", "artifacts-versioning"}
    assert graph.by_urn(versioning.parent) == bucket


def test_dependencies_and_options(graph: ResourceGraph) -> None:
    vpc, subnet, bucket = graph.one(VPC), graph.one(SUBNET), graph.one(BUCKET)
    assert vpc.urn in subnet.dependencies
    assert vpc.urn in graph.one("aimodel:test:Store").dependencies  # explicit depends_on
    assert subnet.ignore_changes == ("tags",)
    assert subnet.delete_before_replace is True and subnet.protect is False
    assert bucket.protect is True and bucket.retain_on_delete is True
    assert vpc.protect is False and vpc.retain_on_delete is False


def test_inputs_are_camel_case_and_resolved(graph: ResourceGraph) -> None:
    subnet = graph.one(SUBNET)
    assert subnet.inputs["cidrBlock"] == "10.0.1.0/24"
    assert subnet.inputs["vpcId"] == graph.one(VPC).id
    versioning = graph.one("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}
    assert versioning.inputs["bucket"] == graph.one(BUCKET).outputs["bucket"]


def test_stack_outputs_and_secrets(graph: ResourceGraph) -> None:
    assert graph.stack_outputs["vpcId"] == graph.one(VPC).id
    assert graph.stack_outputs["bucket"].startswith("artifacts-bucket-")
    assert graph.stack_outputs["password"] == "hunter2"
    assert graph.secret_outputs == {"password"}
    nested = graph.stack_outputs["nested"]
    assert nested == {"count": 3, "ratio": 0.5, "names": ["a", "b"]}
    assert isinstance(nested["count"], int)  # protobuf doubles come back as ints when integral


def test_component_register_outputs_become_its_outputs(graph: ResourceGraph) -> None:
    store = graph.one("aimodel:test:Store")
    assert store.outputs == {"bucketName": graph.one(BUCKET).outputs["bucket"]}


def test_one_explains_what_exists(graph: ResourceGraph) -> None:
    with pytest.raises(AssertionError, match=r"no aws:ec2/subnet:Subnet named 'public'.*\['private'\]"):
        graph.one(SUBNET, "public")
    with pytest.raises(AssertionError, match=r"no aws:eks/cluster:Cluster; types registered: .*aws:ec2/vpc:Vpc"):
        graph.one("aws:eks/cluster:Cluster")
    two = run_program(lambda: [aws.s3.Bucket("a"), aws.s3.Bucket("b")])
    with pytest.raises(AssertionError, match=r"expected one aws:s3/bucket:Bucket, found 2: 'a', 'b'"):
        two.one(BUCKET)
    assert two.one(BUCKET, "b").name == "b"
    with pytest.raises(AssertionError, match="no resource with URN"):
        two.by_urn("urn:nope")


def test_structured_and_secret_config() -> None:
    def program() -> None:
        cfg = pulumi.Config("aimodel-infra")
        env = cfg.require_object("environment")
        pulumi.export("gpus", env["gpus"])
        pulumi.export("name", cfg.require("name"))
        pulumi.export("token", cfg.require_secret("token"))

    graph = run_program(
        program,
        config={"aimodel-infra:environment": {"gpus": 8}, "aimodel-infra:name": "train", "aimodel-infra:token": "t0k"},
        secret_config=("aimodel-infra:token",),
    )
    assert graph.stack_outputs == {"gpus": 8, "name": "train", "token": "t0k"}
    assert graph.secret_outputs == {"token"}


def test_config_keys_must_be_namespaced() -> None:
    with pytest.raises(ValueError, match="must be namespaced"):
        run_program(lambda: None, config={"environment": "x"})


def test_program_exception_propagates_and_leaves_no_state() -> None:
    def failing() -> None:
        aws.s3.Bucket("before-failure")
        raise ValueError("gpu count must be a power of two, got 3")

    with pytest.raises(ValueError, match="gpu count must be a power of two, got 3"):
        run_program(failing, config={"aimodel-infra:leak": "yes"})

    assert settings.get_root_resource() is None
    assert settings.SETTINGS.monitor is None
    assert "aimodel-infra:leak" not in CONFIG.get()

    def clean() -> None:
        pulumi.export("leak", pulumi.Config("aimodel-infra").get("leak", "unset"))
        aws.s3.Bucket("after")

    graph = run_program(clean)
    assert [r.name for r in graph.resources] == ["after"]
    assert graph.stack_outputs == {"leak": "unset"}


def test_exception_inside_apply_propagates() -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")

        def check(cidr: str) -> str:
            raise RuntimeError(f"refusing {cidr}")

        vpc.cidr_block.apply(check)

    with pytest.raises(RuntimeError, match=r"refusing 10\.0\.0\.0/16"):
        run_program(program)


def test_preview_leaves_unreturned_outputs_unknown() -> None:
    seen: list[str] = []

    def program() -> None:
        queue = aws.sqs.Queue("jobs")  # DefaultMocks returns no `url` for queues
        queue.url.apply(lambda u: seen.append(f"url={u}"))
        bucket = aws.s3.Bucket("b")
        aws.s3.BucketPolicy("p", bucket=bucket.id, policy=bucket.arn.apply(lambda a: f'{{"arn": "{a}"}}'))

    graph = run_program(program, preview=True)
    assert seen == []  # unknown during preview: the apply never runs
    assert graph.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"].startswith('{"arn": "arn:aws:s3:::b-')


def test_many_runs_are_independent_and_deterministic() -> None:
    graphs = [run_program(network_program) for _ in range(3)]
    ids = [[(r.name, r.id) for r in g.resources] for g in graphs]
    assert ids[0] == ids[1] == ids[2]
    assert all(len(g.resources) == 5 for g in graphs)


def test_recorded_resource_is_frozen(graph: ResourceGraph) -> None:
    r: RecordedResource = graph.one(VPC)
    with pytest.raises(AttributeError):
        r.name = "other"  # type: ignore[misc]
    assert str(r) == "aws:ec2/vpc:Vpc 'vpc'"


def test_invokes_are_recorded() -> None:
    def program() -> None:
        zones = aws.get_availability_zones(state="available")
        pulumi.export("zones", zones.names)

    graph = run_program(program)
    assert graph.invokes == [("aws:index/getAvailabilityZones:getAvailabilityZones", {"state": "available"})]


def test_explicit_provider_is_recorded() -> None:
    def program() -> None:
        west = aws.Provider("west", region="us-west-2")
        aws.s3.Bucket("b", opts=pulumi.ResourceOptions(provider=west))

    graph = run_program(program)
    provider = graph.one("pulumi:providers:aws", "west")
    bucket = graph.one(BUCKET)
    assert bucket.provider == f"{provider.urn}::{provider.id}"
    assert bucket.outputs["bucketRegionalDomainName"].endswith(".s3.us-west-2.amazonaws.com")


def test_async_program_is_awaited() -> None:
    async def program() -> None:
        aws.s3.Bucket("first")
        await asyncio.sleep(0)
        pulumi.export("late", aws.s3.Bucket("second").bucket)

    graph = run_program(program)
    assert [r.name for r in graph.resources] == ["first", "second"]
    assert graph.stack_outputs["late"].startswith("second-")


def test_resource_get_is_recorded_as_a_read() -> None:
    def program() -> None:
        existing = aws.ec2.Vpc.get("shared", "vpc-0123456789abcdef0")
        aws.ec2.Subnet("mine", vpc_id=existing.id, cidr_block="10.0.1.0/24")

    graph = run_program(program)
    shared = graph.one(VPC, "shared")
    assert shared.read is True and shared.id == "vpc-0123456789abcdef0"
    assert graph.one(SUBNET).inputs["vpcId"] == "vpc-0123456789abcdef0"
    assert graph.one(SUBNET).read is False


def test_a_second_resource_with_the_same_urn_fails_loudly_like_pulumi_up() -> None:
    import pulumi

    from aimodel_infra.recording import DuplicateUrnError

    def program() -> None:
        pulumi.ComponentResource("aimodel:test:Thing", "same")
        pulumi.ComponentResource("aimodel:test:Thing", "same")

    with pytest.raises(DuplicateUrnError, match=r"same URN urn:pulumi:test::aimodel-infra::.*aimodel:test:Thing::same"):
        run_program(program)
