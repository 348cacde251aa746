"""What AWS would refuse in a spec that is otherwise valid, checked without any SDK.

The builder runs these before creating anything, and ``aimodel-infra validate`` runs them
through the registry, so an AWS-only limit (a VPC larger than /16, S3's 30-day minimum for
Standard-IA, ten budget notifications) is reported offline with every other problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aimodel_infra.aws.images import image_source
from aimodel_infra.aws.node_plan import plan_node_groups
from aimodel_infra.aws.subnets import AWS_LARGEST_SUBNET_PREFIX, AWS_SMALLEST_SUBNET_PREFIX
from aimodel_infra.aws.zones import EKS_MIN_ZONES, eks_excluded_zone_ids, zones_offering
from aimodel_infra.catalog import Catalog
from aimodel_infra.errors import AimodelError, Problem, SpecError
from aimodel_infra.spec.checks import physical_bucket_prefix
from aimodel_infra.spec.models import Bucket as BucketSpec
from aimodel_infra.spec.models import BucketPurpose, Environment, NatMode
from aimodel_infra.spec.models import Budget as BudgetSpec

#: S3 refuses a lifecycle transition to STANDARD_IA sooner than 30 days after object creation.
STANDARD_IA_MIN_DAYS = 30
COLD_STORAGE_CLASS = "STANDARD_IA"
#: Datasets are re-read every epoch. Standard-IA charges per GB retrieved ($0.01/GB: 5 TB read once
#: is $50, every epoch); S3 Intelligent-Tiering has no retrieval charge and moves objects back to its
#: frequent tier on access, for a small monitoring fee per object (objects under 128 KB are not
#: monitored and stay frequent). Amazon S3 User Guide, "Understanding and managing Amazon S3 storage
#: classes" / "How S3 Intelligent-Tiering works".
DATASETS_COLD_STORAGE_CLASS = "INTELLIGENT_TIERING"


def cold_storage_class(bucket: BucketSpec) -> str:
    """Where ``cold_after_days`` moves a bucket's objects: Intelligent-Tiering for datasets (read
    again and again), Standard-IA for checkpoints, models and logs (written often, read rarely)."""
    return DATASETS_COLD_STORAGE_CLASS if bucket.purpose is BucketPurpose.DATASETS else COLD_STORAGE_CLASS


#: AWS Budgets limits: ten notifications per budget, ten e-mail subscribers per notification.
MAX_NOTIFICATIONS = 10
MAX_EMAILS = 10
#: S3 general purpose bucket naming rules (S3 User Guide, "Bucket naming rules"): reserved prefixes.
S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")


def aws_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """What AWS would refuse in an otherwise valid spec, all of it, found before any resource exists.

    Each component checks its own input too; asking them all first means a bad bucket lifecycle
    is reported together with a bad pool, and nothing is half-created when one of them fails.
    """
    region = env.region
    problems = [*vpc_problems(env), *egress_problems(env), *zone_problems(env), *usable_zone_problems(env, catalog)]
    for i, pool in enumerate(env.node_pools):
        path = f"node_pools[{i}]"
        problems += _problems_of(path, lambda p=pool, path=path: plan_node_groups(p, catalog, region, path))
    for i, pool in enumerate(env.node_pools):
        problems += reserved_label_problems(pool.labels, f"node_pools[{i}].labels")
    for i, group in enumerate(env.autoscaling_groups):
        path = f"autoscaling_groups[{i}].image"
        problems += _problems_of(path, lambda g=group, path=path: image_source(g.image, path))
    for i, bucket in enumerate(env.buckets):
        problems += lifecycle_problems(bucket, f"buckets[{i}]")
        problems += bucket_name_problems(env, bucket, f"buckets[{i}].name")
    if env.budget is not None:
        problems += budget_problems(env.budget)
    problems += aws_input_problems(env)
    return problems


def zone_problems(env: Environment) -> list[Problem]:
    if env.cluster is not None and env.network.zones < EKS_MIN_ZONES:
        return [
            Problem("network.zones", f"EKS needs subnets in at least {EKS_MIN_ZONES} zones; got {env.network.zones}")
        ]
    return []


#: Label prefixes the EKS managed node group API rejects, or with which nodes fail to join
#: (aws/containers-roadmap#1451, kubernetes/cloud-provider-aws#242).
RESERVED_LABEL_DOMAINS = ("kubernetes.io", "k8s.io", "eks.amazonaws.com")


def reserved_label_problems(labels: dict[str, str], path: str) -> list[Problem]:
    problems = []
    for key in labels:
        domain = key.split("/", 1)[0] if "/" in key else ""
        if any(domain == d or domain.endswith(f".{d}") for d in RESERVED_LABEL_DOMAINS):
            problems.append(
                Problem(
                    path,
                    f"label {key!r} uses a prefix EKS reserves ({', '.join(d + '/' for d in RESERVED_LABEL_DOMAINS)}); "
                    "use your own prefix, e.g. example.com/role",
                )
            )
    return problems


def usable_zone_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """Zones left once EKS's refused zone IDs are out (when the catalog knows the region's zones), and
    each pool's instance type offered in at least one of them."""
    if env.cluster is None:
        return []
    excluded = eks_excluded_zone_ids(catalog, env.region)
    known = len(catalog.zones_of("aws", env.region))
    usable = known - len(excluded)
    problems = []
    refused = f" (EKS refuses {', '.join(excluded)})" if excluded else ""
    if known and usable < EKS_MIN_ZONES:
        problems.append(
            Problem(
                "region",
                f"EKS needs {EKS_MIN_ZONES} usable zones; {env.region} has {usable}{refused}: use another region",
            )
        )
    elif known and env.network.zones > usable:
        problems.append(
            Problem("network.zones", f"{env.region} has {usable} zones EKS accepts{refused}; got {env.network.zones}")
        )
    for i, pool in enumerate(env.node_pools):
        try:
            offering = catalog.offering_for(
                "aws", env.region, pool.accelerator, pool.accelerator_count, pool.instance_type
            )
        except AimodelError:
            continue  # reported by the pool's own checks
        offered = zones_offering(catalog, env.region, offering.instance_type)
        if offered is not None and not offered - set(excluded):
            problems.append(
                Problem(
                    f"node_pools[{i}]",
                    f"{offering.instance_type} is offered in {env.region} only in zones EKS refuses "
                    f"({', '.join(sorted(offered)) or 'none'}); choose another instance type or region",
                )
            )
    return problems


def bucket_name_problems(env: Environment, bucket: BucketSpec, path: str) -> list[Problem]:
    prefix = physical_bucket_prefix(env, bucket)
    return [
        Problem(path, f"S3 bucket names must not start with {p!r}")
        for p in S3_RESERVED_PREFIXES
        if prefix.startswith(p)
    ]


def vpc_problems(env: Environment) -> list[Problem]:
    """AWS takes VPC blocks from /16 to /28; the spec allows up to /8 for clouds with larger networks."""
    cidr = env.network.cidr
    if cidr.prefixlen >= AWS_LARGEST_SUBNET_PREFIX:
        return []
    return [
        Problem(
            "network.cidr",
            f"AWS VPCs are /{AWS_LARGEST_SUBNET_PREFIX} to /{AWS_SMALLEST_SUBNET_PREFIX}; {cidr} is "
            f"/{cidr.prefixlen}: use a /{AWS_LARGEST_SUBNET_PREFIX} (65,536 addresses) or smaller",
        )
    ]


def egress_problems(env: Environment) -> list[Problem]:
    """EKS nodes pull images from ECR and call AWS APIs while joining; with no NAT they could only
    through interface VPC endpoints, which this builder does not create: the node groups would fail."""
    if env.cluster is None or env.network.nat is not NatMode.NONE:
        return []
    return [
        Problem(
            "network.nat",
            "an EKS cluster needs outbound access (image pulls from ECR, AWS APIs) and no interface endpoints "
            "are created; use 'single' (cheapest) or 'per-zone', or remove the cluster",
        )
    ]


def _problems_of(path: str, plan: Callable[[], object]) -> list[Problem]:
    try:
        plan()
    except SpecError as error:
        return list(error.problems)
    except AimodelError as error:
        return [Problem(path, str(error))]
    return []


def lifecycle_problems(bucket: BucketSpec, path: str) -> list[Problem]:
    """Lifecycle settings S3 rejects. Raised, not clamped: a later transition than the user
    wrote would silently change both the data's storage class and the cost estimate."""
    days = bucket.lifecycle.cold_after_days
    if days is not None and days < STANDARD_IA_MIN_DAYS and cold_storage_class(bucket) == COLD_STORAGE_CLASS:
        return [
            Problem(
                f"{path}.lifecycle.cold_after_days",
                f"S3 moves objects to {COLD_STORAGE_CLASS} no sooner than {STANDARD_IA_MIN_DAYS} days after "
                f"they are written; got {days}, use {STANDARD_IA_MIN_DAYS} or more",
            )
        ]
    return []


def budget_problems(budget: BudgetSpec, path: str = "budget") -> list[Problem]:
    """What AWS Budgets would reject, found before any API call."""
    problems = []
    thresholds = sorted(set(budget.alert_thresholds_percent))
    allowed = MAX_NOTIFICATIONS - 1  # one notification is the forecast
    if len(thresholds) > allowed:
        problems.append(
            Problem(
                f"{path}.alert_thresholds_percent",
                f"AWS allows {MAX_NOTIFICATIONS} notifications per budget, one of them the forecast alert; "
                f"give at most {allowed} distinct thresholds, got {len(thresholds)}",
            )
        )
    if len(set(budget.alert_emails)) > MAX_EMAILS:
        problems.append(
            Problem(
                f"{path}.alert_emails",
                f"AWS allows {MAX_EMAILS} e-mail subscribers per alert; got {len(set(budget.alert_emails))}",
            )
        )
    return problems


# -- limits checked for issue 14 (inputs): addresses, key ids, tag counts --------------------------
#: Every subnet loses its first four and last address to AWS (VPC User Guide, "Subnet CIDR blocks").
AWS_RESERVED_PER_SUBNET = 5
#: VPC addresses one EKS node is planned to take: its own and one per pod, since the VPC CNI gives
#: pods VPC addresses. Pods per node are taken at Kubernetes' default kubelet maxPods, 110 (kubelet
#: configuration reference, "maxPods"): a planning bound, not a per-type figure (EKS AMIs set maxPods
#: per instance type from ENI limits, awslabs/amazon-eks-ami eni-max-pods.txt, not in the catalog).
EKS_NODE_ADDRESSES = 1 + 110
#: AWS allows 50 user tags per resource (Tagging AWS resources, "Tag naming limits and requirements").
AWS_TAG_LIMIT = 50
#: Tags our builder adds to an instance besides the user's (environment, managed-by, Name,
#: aimodel-compute) and EKS adds to a managed node group's instances (eks:cluster-name, eks:nodegroup-name).
AWS_INSTANCE_TAGS_ADDED = 4 + 2
#: KMS key identifiers (KMS Developer Guide, "Key identifiers (KeyId)"): key ARN, alias ARN, key id, alias name.
KMS_KEY_ARN = re.compile(
    r"arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):\d{12}:(key/[A-Za-z0-9-]{1,128}|alias/[\w/+=,.@-]{1,250})"
)
KMS_KEY_ID = re.compile(r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
KMS_ALIAS = re.compile(r"alias/[\w/+=,.@-]{1,250}")


def aws_input_problems(env: Environment) -> list[Problem]:
    """Address capacity at max size, KMS key ids in the bucket's region, tags per instance."""
    return [*aws_address_problems(env), *kms_key_problems(env), *instance_tag_problems(env)]


def aws_address_problems(env: Environment) -> list[Problem]:
    from aimodel_infra.aws.subnets import plan_subnets
    from aimodel_infra.spec.checks import AddressNeeds, address_capacity_problems

    try:
        private = plan_subnets(env.network.cidr, env.network.zones).private
    except ValueError:
        return []  # reported by the subnet rules
    capacity = sum(max(0, s.num_addresses - AWS_RESERVED_PER_SUBNET) for s in private)
    needs = AddressNeeds(
        network_per_node=EKS_NODE_ADDRESSES,
        network_capacity=capacity,
        basis=f"{EKS_NODE_ADDRESSES} per EKS node: the node and 110 pods on VPC addresses (VPC CNI); 1 per VM",
    )
    return address_capacity_problems(env, needs)


def kms_key_problems(env: Environment) -> list[Problem]:
    """A customer_key_id that is no KMS key identifier, or a key ARN of another region (KMS keys are
    regional and S3 needs the key in the bucket's region)."""
    problems = []
    for i, bucket in enumerate(env.buckets):
        key = bucket.customer_key_id
        if key is None:
            continue
        path = f"buckets[{i}].customer_key_id"
        arn = KMS_KEY_ARN.fullmatch(key)
        if arn and arn.group("region") != env.region:
            problems.append(
                Problem(
                    path,
                    f"the key is in {arn.group('region')} but the bucket is in {env.region}; "
                    "S3 needs a key in the bucket's region",
                )
            )
        elif not (arn or KMS_KEY_ID.fullmatch(key) or KMS_ALIAS.fullmatch(key)):
            problems.append(
                Problem(
                    path,
                    f"{key[:80]!r} is not an AWS KMS key identifier; use a key ARN (arn:aws:kms:{env.region}:<account>:"
                    "key/<id>), an alias ARN, a key id or alias/<name>",
                )
            )
    return problems


def instance_tag_problems(env: Environment) -> list[Problem]:
    problems = []
    for i, compute in enumerate([*env.node_pools, *env.autoscaling_groups]):
        count = len({**compute.labels, **env.tags}) + AWS_INSTANCE_TAGS_ADDED
        if count > AWS_TAG_LIMIT:
            path = f"node_pools[{i}]" if i < len(env.node_pools) else f"autoscaling_groups[{i - len(env.node_pools)}]"
            problems.append(
                Problem(
                    f"{path}.labels",
                    f"its instances would carry {count} tags (labels, the environment's tags and "
                    f"{AWS_INSTANCE_TAGS_ADDED} the builder and EKS add); AWS allows {AWS_TAG_LIMIT}: "
                    f"remove {count - AWS_TAG_LIMIT}",
                )
            )
    return problems
