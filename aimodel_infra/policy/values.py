"""Reading recorded resource properties safely: unknowns, loose booleans, JSON policy documents.

Checks read properties as Pulumi recorded them, and three things make that less obvious than a
dict lookup: a value can be *unknown* during a preview (computed by the cloud later), a provider
can type a boolean as the string ``"true"``, and IAM documents arrive as JSON strings. These
helpers give every check the same answer to each, without importing Pulumi (the policy pack and
``validate`` both load this package).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping
from typing import Any

#: The strings the Pulumi engine sends for values it cannot know yet (pulumi.runtime.rpc.UNKNOWN
#: and the per-type sentinels a policy pack sees).
UNKNOWN_SENTINELS = frozenset(
    {
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)


def is_unknown(value: Any) -> bool:
    """True for a value a preview cannot know yet: checks skip it instead of guessing.

    The offline recorder gives ``pulumi.output.Unknown`` instances in preview mode; a policy pack
    sees the engine's sentinel strings. The class is matched by name so Pulumi stays unimported.
    """
    if isinstance(value, str):
        return value in UNKNOWN_SENTINELS
    kind = type(value)
    return kind.__name__ == "Unknown" and kind.__module__.startswith("pulumi")


def known(value: Any) -> Any:
    """The value, or None when it is unknown (so ``known(x) or default`` reads naturally)."""
    return None if is_unknown(value) else value


def as_dict(value: Any) -> dict[str, Any]:
    """A nested object, or {} when absent or unknown. A one-item list counts as the object
    (some provider versions model single blocks as lists)."""
    value = known(value)
    if isinstance(value, list) and len(value) == 1:
        value = known(value[0])
    return dict(value) if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """A list of known items; a single scalar or object becomes a one-item list (IAM allows both)."""
    value = known(value)
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [item for item in items if not is_unknown(item)]


def truthy(value: Any) -> bool:
    """True for True and the string 'true' (EC2 launch templates type booleans as strings)."""
    value = known(value)
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True


def json_document(value: Any) -> dict[str, Any] | None:
    """A policy document as a dict, from a JSON string or an object; None when unknown or absent.

    Raises ValueError when the text is not a JSON object, which checks report as a finding: a
    document nobody can read cannot be shown to be safe.
    """
    value = known(value)
    if value is None or value == "":
        return None
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a JSON policy document, got {type(value).__name__}")
    document = json.loads(value)
    if not isinstance(document, dict):
        raise ValueError("policy document is not a JSON object")
    return document


#: The whole internet, IPv4 and IPv6.
OPEN_NETWORKS = frozenset({ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")})


def is_open_network(cidr: Any) -> bool:
    """True for 0.0.0.0/0 or ::/0 (however written); False for anything else, unparsable included."""
    try:
        return ipaddress.ip_network(str(cidr), strict=False) in OPEN_NETWORKS
    except ValueError:
        return False
