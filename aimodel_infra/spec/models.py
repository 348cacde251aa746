"""The environment spec: one cloud-neutral, typed description of a GPU environment.

Everything here is structure and local rules (ranges, name formats, cross-field consistency
inside one document). Rules that need the catalog (is H100 x 8 offered in that region?) live in
:mod:`aimodel_infra.spec.checks`, so the models stay usable without any data loaded.
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field annotation from a
# string at class creation, a measurable share of the cold start of ``validate`` (benchmarks/importtime.py).
import inspect
import ipaddress
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from aimodel_infra.clouds import Cloud
from aimodel_infra.spec.cloud_settings import AzureSettings, GcpSettings
from aimodel_infra.spec.text import echo, is_dns_subdomain, unusual_character_message

PRIVATE_RANGES = tuple(ipaddress.IPv4Network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
NAME_PATTERN = r"^[a-z]([a-z0-9-]*[a-z0-9])?$"
#: Kubernetes minor versions as the clouds name them: "1.33" (ASCII digits, no leading zero, no "v").
KUBERNETES_VERSION_PATTERN = r"^1\.(0|[1-9][0-9]?)$"
REGION_PATTERN = r"^[a-z][a-z0-9-]*[a-z0-9]$"
RULE_PATTERN = r"^[a-z][a-z0-9-]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
TAG_KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"
TAG_VALUE_PATTERN = r"^[a-z0-9_-]*$"
#: Instance types, machine types and VM sizes: p5.48xlarge, a3-highgpu-8g, Standard_ND96isr_H100_v5.
INSTANCE_TYPE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
#: Image ids and key ids are printable ASCII without spaces; each cloud checks its own forms.
IMAGE_PATTERN = r"^[!-~]+$"
KEY_ID_PATTERN = r"^[!-~]+$"
#: Bounds that keep every number meaningful (and within every cloud's 32-bit day counters).
MAX_DAYS = 36500
MAX_BUCKET_GB = 10_000_000
MIN_BUDGET_USD = 1
MAX_BUDGET_USD = 100_000_000
#: "H100:8", "8xH100"-style counts in ASCII digits only ("H100:８" is refused by the text check, not read as 8).
_ACCELERATOR_SHORTHAND = re.compile(r"^\s*([A-Za-z0-9-]+)\s*[:x×]\s*([0-9]+)\s*$")
_SHORTHAND_MAX = 32


#: Free-text fields: any printable character, but none that is invisible or turns text around.
FREE_TEXT_FIELDS = frozenset({"reason"})


def _signature_computed_once(function: Callable[..., Any]) -> Callable[..., Any]:
    """Keep the function's signature on it (PEP 362's ``__signature__``), so asking again is free.

    pydantic asks ``inspect.signature`` whether a validator takes ``info`` once for every field it
    wraps; ``StrictModel._plain_values`` wraps every field of every model (~100), and computing its
    signature each time was ~1.7 ms of the cold start of ``validate`` and ``cost``.
    """
    function.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
    return function


class StrictModel(BaseModel):
    """Base of every spec model.

    ``extra="forbid"`` is what turns a mistyped YAML key (``max_node: 4``) into an error that
    names it, instead of a silently ignored setting that costs money later. Two checks run on
    every field before its own: a boolean is no number (YAML reads ``zones: true`` as a bool, and
    pydantic would take it as 1), and no text holds a control, invisible or look-alike character
    (``us\u2010east\u20101`` with Unicode hyphens); the message names the character.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    @field_validator("*", mode="before")
    @classmethod
    @_signature_computed_once
    def _plain_values(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _wants_number(field.annotation):
            _reject_bools(value)
        if field is None or not _holds_model(field.annotation):
            _reject_unusual_text(value, allow_unicode=info.field_name in FREE_TEXT_FIELDS)
        return value


def _holds_model(annotation: Any) -> bool:
    """Whether a field holds nested models (their own fields check their text, with a full path)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in getattr(annotation, "__args__", ()))


def _wants_number(annotation: Any) -> bool:
    """Whether a field holds numbers (int, float, optional or in a list), not booleans."""
    if annotation is bool:
        return False
    if annotation in (int, float):
        return True
    return any(_wants_number(arg) for arg in getattr(annotation, "__args__", ()))


def _reject_bools(value: Any) -> None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool):
            raise ValueError(f"must be a number, got the boolean {str(item).lower()}")


def _reject_unusual_text(value: Any, *, allow_unicode: bool) -> None:
    """Check a string, the strings of a list (readers, e-mails) or of a mapping's keys and values (tags,
    labels). Nested models are left to their own fields, so a problem keeps its full path."""
    if isinstance(value, list):
        strings = [item for item in value if isinstance(item, str)]
    elif isinstance(value, dict):
        strings = [text for pair in value.items() for text in pair if isinstance(text, str)]
    else:
        strings = [value] if isinstance(value, str) else []
    for text in strings:
        problem = unusual_character_message(text, allow_unicode=allow_unicode)
        if problem:
            raise ValueError(f"{echo(text)} {problem}")


class NatMode(StrEnum):
    """How private subnets reach the internet: none, one shared gateway, or one per zone (HA)."""

    NONE = "none"
    SINGLE = "single"
    PER_ZONE = "per-zone"


class DeployerAccess(StrEnum):
    """How whoever runs ``pulumi up`` reaches the Kubernetes API to install in-cluster software."""

    PRIVATE_NETWORK = "private-network"
    ALLOWED_CIDRS = "allowed-cidrs"


class ImageUpdates(StrEnum):
    """When a VM group moves to a newer 'deep-learning' image."""

    ON_REQUEST = "on-request"
    FOLLOW_LATEST = "follow-latest"


class Capacity(StrEnum):
    ON_DEMAND = "on_demand"
    SPOT = "spot"
    SPOT_WITH_FALLBACK = "spot_with_fallback"


class BucketPurpose(StrEnum):
    DATASETS = "datasets"
    CHECKPOINTS = "checkpoints"
    MODELS = "models"
    LOGS = "logs"


class Encryption(StrEnum):
    PROVIDER_MANAGED = "provider-managed"
    CUSTOMER_KEY = "customer-key"


class TaintEffect(StrEnum):
    NO_SCHEDULE = "NoSchedule"
    PREFER_NO_SCHEDULE = "PreferNoSchedule"
    NO_EXECUTE = "NoExecute"


Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=32,
        pattern=NAME_PATTERN,
        description="Lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit.",
    ),
]


#: Kubernetes label (and taint) key: optional DNS-subdomain prefix and '/', then a name of [-A-Za-z0-9_.]
#: (Kubernetes docs, "Labels and Selectors": prefix at most 253 characters, name at most 63).
_DNS_PART = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
LABEL_KEY_PATTERN = rf"^({_DNS_PART}(\.{_DNS_PART})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
LABEL_VALUE_PATTERN = r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$"
LABEL_KEY_MAX = 253 + 1 + 63
LABEL_NAME_MAX = 63


def _label_key_lengths(key: str) -> str:
    """The length rules the key pattern cannot say: prefix at most 253 characters, name at most 63."""
    prefix, _, name = key.rpartition("/")
    if prefix and not is_dns_subdomain(prefix):
        raise ValueError(f"prefix {prefix!r} of key {key!r} is longer than 253 characters")
    if len(name) > LABEL_NAME_MAX:
        raise ValueError(f"name part of key {key!r} is {len(name)} characters; at most {LABEL_NAME_MAX}")
    return key


LabelKey = Annotated[
    str, Field(min_length=1, max_length=LABEL_KEY_MAX, pattern=LABEL_KEY_PATTERN), AfterValidator(_label_key_lengths)
]
LabelValue = Annotated[str, Field(max_length=63, pattern=LABEL_VALUE_PATTERN)]

#: Each pattern said in words: messages never show a regular expression.
PATTERN_RULES: dict[str, str] = {
    NAME_PATTERN: "lowercase letters, digits and hyphens; starts with a letter, ends with a letter or digit",
    KUBERNETES_VERSION_PATTERN: 'a Kubernetes minor version as the cloud names it, like "1.33" (no "v", '
    "no leading zero, ASCII digits)",
    REGION_PATTERN: "lowercase letters, digits and hyphens, as the cloud names the region (us-east-1, "
    "us-central1, eastus)",
    RULE_PATTERN: "a rule id: lowercase letters, digits and hyphens, starting with a letter (e.g. imdsv2-required)",
    EMAIL_PATTERN: "an e-mail address like ops@example.com (one '@', a dot in the domain, no spaces)",
    TAG_KEY_PATTERN: "a tag key: lowercase letters, digits, '_' and '-', starting with a letter",
    TAG_VALUE_PATTERN: "a tag value: lowercase letters, digits, '_' and '-' (or empty)",
    LABEL_KEY_PATTERN: "a Kubernetes label key: an optional DNS-subdomain prefix (lowercase letters, digits, "
    "'-' and single dots, e.g. example.com) and '/', then a name of letters, digits, '-', '_' and '.' "
    "that starts and ends with a letter or digit",
    LABEL_VALUE_PATTERN: "a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending "
    "with a letter or digit (or empty); no spaces",
    INSTANCE_TYPE_PATTERN: "an instance type as the cloud names it (p5.48xlarge, a3-highgpu-8g, "
    "Standard_ND96isr_H100_v5): letters, digits, '.', '_' and '-'",
    IMAGE_PATTERN: "printable ASCII with no spaces",
}


def _is_private(network: ipaddress.IPv4Network) -> bool:
    return any(network.subnet_of(private) for private in PRIVATE_RANGES)


class Network(StrictModel):
    """The private network every node lives in."""

    cidr: Annotated[
        ipaddress.IPv4Network,
        Field(description="Private (RFC 1918) address space of the VPC/VNet, /8 to /20.", examples=["10.0.0.0/16"]),
    ] = ipaddress.IPv4Network("10.0.0.0/16")
    zones: Annotated[
        int, Field(ge=1, le=6, description="How many availability zones to spread subnets and nodes over.")
    ] = 3
    nat: Annotated[
        NatMode,
        Field(description="Outbound internet for private subnets: none, single (one gateway), per-zone (HA)."),
    ] = NatMode.SINGLE
    pod_cidr: Annotated[
        ipaddress.IPv4Network,
        Field(
            description="Pod addresses where the cloud uses an overlay or secondary range (GKE, AKS); "
            "EKS pods take VPC addresses. Must not overlap cidr or service_cidr."
        ),
    ] = ipaddress.IPv4Network("10.244.0.0/16")
    service_cidr: Annotated[
        ipaddress.IPv4Network,
        Field(description="Kubernetes Service addresses. Must not overlap cidr or pod_cidr."),
    ] = ipaddress.IPv4Network("172.20.0.0/16")

    @field_validator("cidr", "pod_cidr", "service_cidr", mode="before")
    @classmethod
    def _strict_cidr(cls, value: Any) -> Any:
        if isinstance(value, str):
            if "/" not in value:
                # ipaddress reads a bare address as a /32: one address, never what was meant.
                raise ValueError(f"{echo(value)} has no prefix length; write the network as 10.0.0.0/16")
            try:
                return ipaddress.IPv4Network(value, strict=True)
            except ValueError as exc:
                raise ValueError(f"must be an IPv4 network like 10.0.0.0/16 ({exc})") from None
        return value

    @field_validator("pod_cidr", "service_cidr")
    @classmethod
    def _private(cls, value: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not _is_private(value):
            raise ValueError(f"{value} is not private; use a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
        return value

    @field_validator("cidr")
    @classmethod
    def _private_and_sized(cls, value: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        cls._private(value)
        if not 8 <= value.prefixlen <= 20:
            raise ValueError(
                f"prefix /{value.prefixlen} is out of range; allowed /8 to /20 (room for subnets per zone)"
            )
        return value


class InClusterSoftware(StrictModel):
    """What the stack installs inside the cluster so GPU pods schedule and pools scale from zero.

    The NVIDIA device plugin, an autoscaler where the cloud has none, the ``aimodel`` namespace
    with one annotated service account per pool, and a default encrypted storage class, each only
    where the cloud lacks it. Installing them needs the deployer to reach the Kubernetes API.
    """

    enabled: Annotated[
        bool,
        Field(description="Install the in-cluster software with the stack (false: infrastructure only)."),
    ] = True
    deployer_access: Annotated[
        DeployerAccess,
        Field(
            description="How `pulumi up` reaches the API: private-network (run it from inside the VPC/VNet, e.g. a "
            "self-hosted CI runner in the private subnets or over VPN) or allowed-cidrs (a public endpoint "
            "limited to cluster.allowed_cidrs, which must include the deployer's egress address)."
        ),
    ] = DeployerAccess.PRIVATE_NETWORK
    scale_down_unneeded_minutes: Annotated[
        int,
        Field(
            ge=1,
            le=1440,
            description="Minutes an idle node waits before the autoscaler removes it (down to min_nodes).",
        ),
    ] = 10


class Cluster(StrictModel):
    """The managed Kubernetes cluster (EKS, GKE or AKS)."""

    kubernetes_version: Annotated[
        str | None,
        Field(
            max_length=8,
            pattern=KUBERNETES_VERSION_PATTERN,
            description='Kubernetes minor version, quoted: "1.35" (unquoted, YAML reads 1.30 as the number 1.3). '
            "Checked against the versions the cloud's managed Kubernetes offers, when the catalog lists them. "
            "Unset: the newest version in standard support on the chosen cloud today, per the catalog "
            "(validate prints it); pin it for production, since a later catalog or date can move it.",
        ),
    ] = None
    public_endpoint: Annotated[
        bool, Field(description="Expose the API server publicly (only to allowed_cidrs). Private is the default.")
    ] = False
    allowed_cidrs: Annotated[
        list[ipaddress.IPv4Network],
        Field(
            max_length=40,
            description="CIDRs allowed to reach a public API endpoint; required when public_endpoint is true. "
            "At most 40 (EKS's limit), never 0.0.0.0/0.",
        ),
    ] = []
    system_nodes: Annotated[
        int, Field(ge=1, le=10, description="Size of the small CPU pool for cluster add-ons (CoreDNS, controllers).")
    ] = 2
    deletion_protection: Annotated[
        bool,
        Field(
            description="Ask the cloud to refuse deleting the cluster (EKS deletion protection, GKE "
            "deletion_protection, AKS CanNotDelete lock); `pulumi destroy` then fails until it is set to false "
            "and applied. Off by default: a cluster holds no data (buckets do, and they are always protected)."
        ),
    ] = False
    in_cluster: Annotated[
        InClusterSoftware, Field(description="In-cluster software the stack installs, and how it reaches the API.")
    ] = InClusterSoftware()

    @field_validator("kubernetes_version", mode="before")
    @classmethod
    def _quoted_version(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            written = f"{value:.2f}" if isinstance(value, float) else str(value)
            raise ValueError(
                f"got the number {value}: YAML reads an unquoted version as a number (1.30 becomes 1.3); "
                f'quote it: kubernetes_version: "{written}"'
            )
        return value

    @field_validator("allowed_cidrs", mode="before")
    @classmethod
    def _cidrs_with_prefix(cls, value: Any) -> Any:
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str) and "/" not in item:
                    raise ValueError(f"{echo(item)} has no prefix length; write a network like 203.0.113.0/24")
        return value

    @model_validator(mode="after")
    def _endpoint_rules(self) -> Self:
        if self.public_endpoint and not self.allowed_cidrs:
            raise ValueError(
                "public_endpoint is true but allowed_cidrs is empty; list the CIDRs that may reach the API "
                "(e.g. your VPN egress 203.0.113.0/24)"
            )
        if not self.public_endpoint and self.allowed_cidrs:
            raise ValueError("allowed_cidrs only applies to a public endpoint; set public_endpoint: true or remove it")
        access = self.in_cluster.deployer_access
        if self.in_cluster.enabled and access is DeployerAccess.ALLOWED_CIDRS and not self.public_endpoint:
            raise ValueError(
                "in_cluster.deployer_access is allowed-cidrs but the API endpoint is private, so `pulumi up` could "
                "not reach it to install the in-cluster software; set public_endpoint: true with allowed_cidrs "
                "that include the deployer, use deployer_access: private-network, or in_cluster.enabled: false"
            )
        return self


class Taint(StrictModel):
    """A Kubernetes taint that keeps pods without a matching toleration off a pool."""

    key: Annotated[
        str,
        Field(
            min_length=1,
            max_length=LABEL_KEY_MAX,
            pattern=LABEL_KEY_PATTERN,
            description="Taint key, e.g. dedicated or example.com/team (same rules as a label key).",
        ),
    ]
    value: Annotated[str, Field(max_length=63, pattern=LABEL_VALUE_PATTERN, description="Taint value.")] = ""
    effect: Annotated[TaintEffect, Field(description="What happens to pods that do not tolerate it.")] = (
        TaintEffect.NO_SCHEDULE
    )

    @field_validator("key")
    @classmethod
    def _key_lengths(cls, value: str) -> str:
        return _label_key_lengths(value)


class Compute(StrictModel):
    """What node pools and autoscaling groups share: the machine, how it is bought, how many.

    Only a base: specs hold its subclasses, so its own validator is built on first direct use
    (``defer_build``), not at import, where it was a tenth of the spec models' start-up.
    """

    model_config = ConfigDict(defer_build=True)

    name: Name
    accelerator: Annotated[
        str | None,
        Field(
            description="GPU model (H100, H200, A100, A100-80GB, L40S, L4, A10G, A10, T4); "
            "shorthand 'H100:8' sets accelerator_count too.",
            examples=["H100", "L4:1"],
            max_length=32,
        ),
    ] = None
    accelerator_count: Annotated[
        int | None, Field(ge=1, le=16, description="GPUs per node; defaults to 1 when an accelerator is given.")
    ] = None
    instance_type: Annotated[
        str | None,
        Field(
            max_length=64,
            pattern=INSTANCE_TYPE_PATTERN,
            description="Explicit instance/machine type/VM size instead of (or to pin) the accelerator request.",
        ),
    ] = None
    capacity: Annotated[
        Capacity,
        Field(description="on_demand, spot, or spot_with_fallback (a spot group plus an on-demand group)."),
    ] = Capacity.ON_DEMAND
    min_nodes: Annotated[int, Field(ge=0, le=1000, description="Lower bound; 0 lets the pool scale to zero.")] = 0
    desired_nodes: Annotated[int | None, Field(ge=0, le=1000, description="Initial size; defaults to min_nodes.")] = (
        None
    )
    max_nodes: Annotated[int, Field(ge=1, le=1000, description="Upper bound the autoscaler may reach.")] = 1
    disk_size_gb: Annotated[
        int, Field(ge=50, le=16384, description="Encrypted root disk per node, GB (GPU images and caches are large).")
    ] = 200
    labels: Annotated[
        dict[LabelKey, LabelValue],
        Field(max_length=64, description="Extra Kubernetes labels (also tags on the instances), at most 64."),
    ] = {}
    taints: Annotated[
        list[Taint],
        Field(
            max_length=16,
            description="Extra taints, at most 16; GPU pools always get nvidia.com/gpu=present:NoSchedule.",
        ),
    ] = []

    @model_validator(mode="before")
    @classmethod
    def _expand_accelerator_shorthand(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and isinstance(data.get("accelerator"), str)
            and len(data["accelerator"]) <= _SHORTHAND_MAX
        ):
            match = _ACCELERATOR_SHORTHAND.match(data["accelerator"])
            if match:
                # "8" (a quoted count) is the same count; pydantic would coerce it anyway.
                if data.get("accelerator_count") not in (None, int(match.group(2)), match.group(2)):
                    raise ValueError(
                        f"accelerator {data['accelerator']!r} says {match.group(2)} GPUs but "
                        f"accelerator_count is {data['accelerator_count']}; give the count once"
                    )
                data = {**data, "accelerator": match.group(1), "accelerator_count": int(match.group(2))}
        return data

    @model_validator(mode="after")
    def _machine_and_scaling(self) -> Self:
        if self.accelerator is None and self.instance_type is None:
            raise ValueError("give an accelerator (e.g. accelerator: H100, accelerator_count: 8) or an instance_type")
        if self.accelerator_count is not None and self.accelerator is None:
            raise ValueError("accelerator_count needs an accelerator")
        if self.accelerator is not None and self.accelerator_count is None:
            object.__setattr__(self, "accelerator_count", 1)
        if self.desired_nodes is None:
            object.__setattr__(self, "desired_nodes", self.min_nodes)
        if not self.min_nodes <= self.desired_nodes <= self.max_nodes:  # type: ignore[operator]
            raise ValueError(
                f"scaling must satisfy min_nodes <= desired_nodes <= max_nodes; "
                f"got {self.min_nodes} <= {self.desired_nodes} <= {self.max_nodes}"
            )
        return self

    @property
    def is_gpu(self) -> bool:
        return self.accelerator is not None

    @property
    def desired(self) -> int:
        """``desired_nodes`` after defaulting (always an int once validated)."""
        return self.desired_nodes if self.desired_nodes is not None else self.min_nodes


class NodePool(Compute):
    """A Kubernetes node pool (EKS managed node group, GKE node pool, AKS agent pool)."""

    model_config = ConfigDict(defer_build=False)


class AutoscalingGroup(Compute):
    """GPU VMs outside Kubernetes (inference servers, batch), in an autoscaling group."""

    model_config = ConfigDict(defer_build=False)

    image: Annotated[
        str,
        Field(
            description="'deep-learning' (the cloud's NVIDIA deep learning image, resolved at deploy time) "
            "or a cloud image id: ami-..., projects/P/global/images/I, or an Azure image resource id "
            "(at most 1024 characters, no spaces).",
            min_length=1,
            max_length=1024,
            pattern=IMAGE_PATTERN,
        ),
    ] = "deep-learning"
    image_updates: Annotated[
        ImageUpdates,
        Field(
            description="When a 'deep-learning' image moves: on-request (default) keeps the image the group was "
            "built with through every later `pulumi up`, so a new release never rolls running VMs during an "
            "unrelated change; set follow-latest for the `pulumi up` that should move to the newest image (the "
            "group's rolling update then replaces its VMs), or pin an image id. Explicit image ids change only "
            "when you change them.",
        ),
    ] = ImageUpdates.ON_REQUEST


class Lifecycle(StrictModel):
    """Object lifecycle: cheaper storage for cold data and no forgotten garbage."""

    cold_after_days: Annotated[
        int | None,
        Field(
            ge=1,
            le=MAX_DAYS,
            description="Move objects to the colder class (S3 Standard-IA, GCS Nearline, Azure Cool) after N days "
            "(1 to 36500).",
        ),
    ] = None
    expire_noncurrent_after_days: Annotated[
        int | None,
        Field(
            ge=1,
            le=MAX_DAYS,
            description="Delete old (noncurrent) versions after N days (1 to 36500); needs versioning.",
        ),
    ] = None
    abort_incomplete_uploads_after_days: Annotated[
        int,
        Field(
            ge=1, le=MAX_DAYS, description="Abort incomplete multipart uploads after N days (1 to 36500; always on)."
        ),
    ] = 7


class Bucket(StrictModel):
    """Object storage for datasets, checkpoints, models or logs."""

    name: Annotated[
        str,
        Field(
            min_length=3,
            max_length=40,
            description="Logical name; the physical name is '<environment>-<name>-<random suffix>'. "
            "Lowercase letters, digits and hyphens.",
        ),
    ]
    purpose: Annotated[BucketPurpose, Field(description="What it holds; sets versioning and protection defaults.")]
    versioning: Annotated[
        bool | None, Field(description="Keep old object versions; on by default for checkpoints and models.")
    ] = None
    encryption: Annotated[
        Encryption, Field(description="provider-managed keys, or a customer-managed key (KMS/CMEK/Key Vault).")
    ] = Encryption.PROVIDER_MANAGED
    customer_key_id: Annotated[
        str | None,
        Field(
            min_length=1,
            max_length=512,
            pattern=KEY_ID_PATTERN,
            description="Existing customer key to use, in the bucket's region: an AWS KMS key ARN, alias ARN or key "
            "id; a GCP projects/P/locations/L/keyRings/R/cryptoKeys/K; an Azure Key Vault key URL. With "
            "customer-key and none given, one is created.",
        ),
    ] = None
    lifecycle: Annotated[Lifecycle, Field(description="Cold-storage transition and clean-up rules.")] = Lifecycle()
    expected_size_gb: Annotated[
        float,
        Field(
            ge=0,
            le=MAX_BUCKET_GB,
            allow_inf_nan=False,
            description="Expected stored data, GB (0 to 10,000,000, i.e. 10 PB); used for the cost estimate.",
        ),
    ] = 0
    readers: Annotated[
        list[Annotated[str, Field(max_length=32)]],
        Field(max_length=128, description="Node pools / autoscaling groups that may read."),
    ] = []
    writers: Annotated[
        list[Annotated[str, Field(max_length=32)]],
        Field(max_length=128, description="Node pools / autoscaling groups that may read and write."),
    ] = []
    deletion_protection: Annotated[
        bool, Field(description="Protect against delete/replace and keep the bucket on destroy. Default on.")
    ] = True

    @field_validator("name")
    @classmethod
    def _portable_name(cls, value: str) -> str:
        if not re.fullmatch(NAME_PATTERN, value) or "--" in value:
            raise ValueError(
                "must be lowercase letters, digits and single hyphens, start with a letter and end with a "
                "letter or digit (valid on S3, GCS and Azure alike)"
            )
        return value

    @model_validator(mode="after")
    def _key_and_versions(self) -> Self:
        if self.customer_key_id and self.encryption is not Encryption.CUSTOMER_KEY:
            raise ValueError("customer_key_id needs encryption: customer-key")
        if self.lifecycle.expire_noncurrent_after_days and not self.versioned:
            raise ValueError("lifecycle.expire_noncurrent_after_days needs versioning (there are no old versions)")
        return self

    @property
    def versioned(self) -> bool:
        if self.versioning is not None:
            return self.versioning
        return self.purpose in (BucketPurpose.CHECKPOINTS, BucketPurpose.MODELS)


class Budget(StrictModel):
    """A monthly spending limit: alerts from the cloud's budget service, and the CI gate on the worst case."""

    monthly_usd: Annotated[
        float,
        Field(
            ge=MIN_BUDGET_USD,
            le=MAX_BUDGET_USD,
            allow_inf_nan=False,
            description="Monthly spending limit in USD, 1 to 100,000,000.",
        ),
    ]
    alert_thresholds_percent: Annotated[
        list[Annotated[float, Field(ge=1, le=500, allow_inf_nan=False)]],
        Field(
            min_length=1,
            max_length=20,
            description="Alert when actual spend reaches these percentages of the limit (each 1 to 500; at most 20).",
        ),
    ] = [50.0, 80.0, 100.0]
    alert_emails: Annotated[
        list[Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN)]],
        Field(min_length=1, max_length=50, description="Who gets budget alerts (at most 50 addresses)."),
    ]


class PolicyException(StrictModel):
    """A policy rule switched off for this environment, with the reason every report shows."""

    rule: Annotated[str, Field(max_length=64, pattern=RULE_PATTERN, description="Rule id, e.g. imdsv2-required.")]
    reason: Annotated[
        str,
        Field(
            min_length=10,
            max_length=1000,
            description="Why it is acceptable here (10 to 1000 characters); shown in every report.",
        ),
    ]


TagKey = Annotated[str, Field(min_length=1, max_length=63, pattern=TAG_KEY_PATTERN)]
TagValue = Annotated[str, Field(max_length=63, pattern=TAG_VALUE_PATTERN)]


class Environment(StrictModel):
    """A whole environment: where it runs and everything in it."""

    name: Annotated[
        str,
        Field(
            min_length=2, max_length=20, pattern=NAME_PATTERN, description="Environment name; prefixes resource names."
        ),
    ]
    cloud: Annotated[Cloud, Field(description="Which cloud builds it: aws, gcp or azure.")]
    region: Annotated[
        str,
        Field(
            min_length=2,
            max_length=32,
            description="The cloud's region name, e.g. us-east-1, us-central1, eastus (checked against the catalog).",
        ),
    ]
    tags: Annotated[
        dict[TagKey, TagValue],
        Field(
            max_length=40,
            description="Tags/labels on every resource, at most 40 (the clouds' per-resource limits, less the tags "
            "the builders add, are checked per cloud). Keys and values use the portable subset "
            "(lowercase, digits, '_' and '-'; GCP labels allow no more).",
        ),
    ] = {}
    network: Annotated[Network, Field(description="The private network (VPC / VNet).")] = Network()
    cluster: Annotated[Cluster | None, Field(description="Managed Kubernetes; null for VMs only.")] = Cluster()
    node_pools: Annotated[
        list[NodePool], Field(max_length=64, description="Kubernetes node pools, GPU or CPU (at most 64).")
    ] = []
    autoscaling_groups: Annotated[
        list[AutoscalingGroup], Field(max_length=64, description="GPU VM groups outside Kubernetes (at most 64).")
    ] = []
    buckets: Annotated[
        list[Bucket],
        Field(max_length=100, description="Object storage for data, checkpoints, models, logs (at most 100)."),
    ] = []
    budget: Annotated[Budget | None, Field(description="Monthly limit and alerts; null for none.")] = None
    policy_exceptions: Annotated[
        list[PolicyException],
        Field(max_length=64, description="Policy rules disabled for this environment, each with a reason."),
    ] = []
    gcp: Annotated[
        GcpSettings | None,
        Field(description="GCP-only settings (project, billing account, release channel); required on GCP."),
    ] = None
    azure: Annotated[
        AzureSettings | None,
        Field(
            description="Azure-only settings (subscription, AKS tier, admins, SSH key); required when cloud is azure."
        ),
    ] = None

    @property
    def compute(self) -> list[Compute]:
        """Node pools and autoscaling groups together: everything that runs instances."""
        return [*self.node_pools, *self.autoscaling_groups]
