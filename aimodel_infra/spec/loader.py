"""Reading a spec: from a YAML file or a Pulumi stack file, into a checked :class:`Environment`.

Every failure (missing file, YAML syntax, wrong structure, catalog rule) ends as one
:class:`SpecError` listing each problem with its field path; nothing else escapes.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.errors import CatalogError, Problem, SpecError, close_matches, printable
from aimodel_infra.spec.checks import check_environment, gpu_request
from aimodel_infra.spec.models import PATTERN_RULES, Environment
from aimodel_infra.spec.text import echo, unusual_character_message

PROJECT_NAME = "aimodel-infra"
CONFIG_KEY = f"{PROJECT_NAME}:environment"
STACKS_DIR = "stacks"
#: The SPEC argument that reads the spec from standard input.
STDIN = "-"
STDIN_SOURCE = "<stdin>"
#: A spec is a page of YAML; anything far larger is a mistake (a log, a dataset), refused before parsing.
MAX_SPEC_BYTES = 4 * 1024 * 1024
#: Aliases can expand a small document into a huge tree ("billion laughs"); validation walks the tree.
MAX_EXPANDED_NODES = 200_000


def _region_config_key(cloud: Any) -> str | None:
    """The stack config key the cloud's provider reads its region from (its CloudSupport says)."""
    from aimodel_infra.clouds import CLOUD_NAMES, Cloud
    from aimodel_infra.registry import support

    if cloud not in CLOUD_NAMES:
        return None
    return support(Cloud(cloud)).region_config_key or None


def find_project_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` holding Pulumi.yaml; else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    return next((d for d in (here, *here.parents) if (d / "Pulumi.yaml").is_file()), here)


def resolve_spec_path(spec: str | Path, root: Path | None = None) -> Path:
    """A path as given if it exists, else the stack file ``stacks/Pulumi.<spec>.yaml``."""
    path = Path(spec)
    if _is_file(path):
        return path
    if _is_dir(path):
        raise SpecError(
            [Problem("", f"{printable(str(path))} is a directory; give a YAML file, a stack name, or - for stdin")]
        )
    if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        raise SpecError([Problem("", f"no such file: {printable(str(path))}")])
    stacks = find_project_root(root) / STACKS_DIR
    stack_file = stacks / f"Pulumi.{spec}.yaml"
    if _is_file(stack_file):
        return stack_file
    available = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks.glob("Pulumi.*.yaml"))
    hint = f"; available stacks: {', '.join(available)}" if available else f"; no stack files in {stacks}"
    raise SpecError([Problem("", f"{printable(repr(str(spec)))} is neither a file nor a stack in {stacks}{hint}")])


def _is_file(path: Path) -> bool:
    """``Path.is_file`` that answers False where the OS refuses the name (too long, say)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


class _UniqueKeyLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loading that records every key a mapping repeats, with both lines.

    Plain PyYAML keeps the last of two equal keys and says nothing, so ``max_nodes: 2`` ... ``max_nodes:
    200`` silently means 200, while Pulumi's own stack-file loader refuses the file.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Problem] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            try:
                key = self.construct_object(key_node, deep=True)
                hash(key)
            except (TypeError, yaml.YAMLError):
                continue  # an unhashable key: the constructor below reports it
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.duplicates.append(
                    Problem(
                        "",
                        f"duplicate key {echo(key)} at line {line} (first at line {first_line[key]}); YAML would keep "
                        "only the last and Pulumi refuses the file: keep one",
                    )
                )
            else:
                first_line[key] = line
        return super().construct_mapping(node, deep=deep)


def read_text(spec: str | Path) -> str:
    """The text of a spec file, or of standard input for ``-``; size-capped, UTF-8."""
    source = STDIN_SOURCE if str(spec) == STDIN else printable(str(spec))
    try:
        if str(spec) == STDIN:
            data = sys.stdin.buffer.read(MAX_SPEC_BYTES + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        else:
            with Path(spec).open("rb") as handle:
                data = handle.read(MAX_SPEC_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise SpecError([Problem("", f"cannot read {source}: {printable(str(exc))}")]) from None
    if len(data) > MAX_SPEC_BYTES:
        raise SpecError(
            [Problem("", f"larger than {MAX_SPEC_BYTES // (1024 * 1024)} MiB; not an environment spec")], source
        )
    try:
        return data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise SpecError(
            [Problem("", f"not UTF-8 text (byte {exc.start + 1} is {data[exc.start]:#04x})")], source
        ) from None


def read_document(path: Path | str) -> Any:
    return parse_yaml(read_text(path), STDIN_SOURCE if str(path) == STDIN else printable(str(path)))


def parse_yaml(text: str, source: str | None = None) -> Any:
    """One YAML document as plain data; every failure a SpecError with its line."""
    loader = _UniqueKeyLoader(text)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise SpecError([Problem("", f"YAML syntax error at {where}{reason}")], source=source) from None
    except RecursionError:
        # PyYAML composes recursively: thousands of nested '[' exhaust the stack before any YAMLError.
        raise SpecError([Problem("", "YAML nested too deeply to be an environment spec")], source=source) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise SpecError(sorted(loader.duplicates, key=_line_of), source=source)
    if _expanded_size_over(document, MAX_EXPANDED_NODES):
        raise SpecError(
            [Problem("", f"the document expands to more than {MAX_EXPANDED_NODES} values (aliases?); not a spec")],
            source=source,
        )
    return document


def _line_of(problem: Problem) -> int:
    """The line a duplicate-key problem names (constructors visit nested mappings in no fixed order)."""
    return int(problem.message.split(" at line ", 1)[1].split(" ", 1)[0])


def _expanded_size_over(document: Any, limit: int) -> bool:
    """Whether the tree, with every alias expanded, has more than ``limit`` nodes; stops counting there."""
    stack, count = [document], 0
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            return True
        if isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def environment_document(document: Any, source: str | None = None) -> Any:
    """The environment mapping inside a document: a stack file's config value, or the document itself."""
    if isinstance(document, dict) and "config" in document:
        config = document["config"]
        if not isinstance(config, dict) or CONFIG_KEY not in config:
            raise SpecError([Problem("config", f"stack file has no '{CONFIG_KEY}' key")], source=source)
        value = config[CONFIG_KEY]
        # `pulumi config set --path` stores structured config under 'value' for secrets/objects.
        return value["value"] if isinstance(value, dict) and set(value) == {"value"} else value
    return document


def parse_environment(data: Any, catalog: Catalog | None = None, source: str | None = None) -> Environment:
    """Validate a plain mapping into an Environment, applying every structural and catalog rule."""
    if not isinstance(data, dict):
        got = "an empty document" if data is None else f"a {type(data).__name__}"
        raise SpecError([Problem("", f"the environment must be a mapping of fields, got {got}")], source=source)
    try:
        env = Environment.model_validate(data)
    except ValidationError as exc:
        raise SpecError([_problem_from_error(error) for error in exc.errors()], source=source) from None
    catalog = catalog or default_catalog()
    problems = check_environment(env, catalog)
    if problems:
        raise SpecError(problems, source=source)
    env = canonicalize(env, catalog)
    problems = cloud_problems(env, catalog)
    if problems:
        raise SpecError(problems, source=source)
    return env


def cloud_problems(env: Environment, catalog: Catalog) -> list[Problem]:
    """What the chosen cloud's builder would refuse (its own limits), asked of the registry.

    Imported here, not at the top: the registry knows the cloud packages, which sit above the spec.
    """
    from aimodel_infra.registry import spec_problems

    return spec_problems(env, catalog)


def load_spec(
    spec: str | Path, catalog: Catalog | None = None, root: Path | None = None, source: str | None = None
) -> Environment:
    """Load a spec from a YAML path, a stack name (``aws-dev`` -> ``stacks/Pulumi.aws-dev.yaml``) or ``-`` (stdin)."""
    path: Path | str = STDIN if str(spec) == STDIN else resolve_spec_path(spec, root)
    source = source or (STDIN_SOURCE if path == STDIN else printable(str(path)))
    raw = read_document(path)
    data = environment_document(raw, source=source)
    stack_problems = provider_region_problems(raw, data)
    try:
        env = parse_environment(data, catalog, source=source)
    except SpecError as error:
        raise SpecError([*stack_problems, *error.problems], source=source) from None
    if stack_problems:
        raise SpecError(stack_problems, source=source)
    return env


def provider_region_problems(document: Any, data: Any) -> list[Problem]:
    """A stack file's provider region (``aws:region``...) that disagrees with the spec's own region.

    The provider builds wherever its config says, while validation, prices and zones follow the spec:
    both must name the same region. Azure accepts display names (``East US``), compared without
    spaces or case.
    """
    if not (isinstance(document, dict) and isinstance(document.get("config"), dict) and isinstance(data, dict)):
        return []
    cloud, region = data.get("cloud"), data.get("region")
    key = _region_config_key(cloud)
    configured = document["config"].get(key) if key else None
    if isinstance(configured, dict) and set(configured) == {"value"}:
        configured = configured["value"]
    if not isinstance(configured, str) or not isinstance(region, str):
        return []
    if configured.replace(" ", "").lower() == region.replace(" ", "").lower():
        return []
    return [
        Problem(
            f"config.{key}",
            f"the stack's {key} is {configured!r} but the spec's region is {region!r}; the provider would build "
            f"in {configured!r} what was checked and priced for {region!r}: make them the same",
        )
    ]


def canonicalize(env: Environment, catalog: Catalog) -> Environment:
    """The same environment with accelerators as the catalog names them (h100 -> H100), and the
    accelerator and count a pinned GPU instance type implies filled in (p5.48xlarge -> 8 x H100)."""

    def fix(items: list[Any]) -> list[Any]:
        fixed = []
        for item in items:
            request = gpu_request(item, env.cloud.value, env.region, catalog)
            update = {"accelerator": request[0], "accelerator_count": request[1]} if request else {}
            fixed.append(item.model_copy(update=update) if update else item)
        return fixed

    env = env.model_copy(update={"node_pools": fix(env.node_pools), "autoscaling_groups": fix(env.autoscaling_groups)})
    return with_default_kubernetes_version(env, catalog)


def with_default_kubernetes_version(env: Environment, catalog: Catalog, today: date | None = None) -> Environment:
    """An unset ``cluster.kubernetes_version`` becomes the cloud's newest version in standard support
    (per the catalog's sourced dates), so every builder, price and plan sees the same concrete version.
    Left unset only when the catalog has no version data for the cloud (a user's own catalog)."""
    cluster = env.cluster
    if cluster is None or cluster.kubernetes_version is not None:
        return env
    cloud = env.cloud.value
    if not catalog.kubernetes_versions(cloud):
        return env
    try:
        version = catalog.default_kubernetes_version(cloud, today or date.today())
    except CatalogError as exc:
        raise SpecError([Problem("cluster.kubernetes_version", str(exc))]) from None
    return env.model_copy(update={"cluster": cluster.model_copy(update={"kubernetes_version": version})})


#: Pydantic error types whose message gains the bad value ("..., got 0.000000001").
_ECHO_INPUT = frozenset(
    {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "finite_number", "int_parsing",
     "int_from_float", "float_parsing", "enum", "literal_error", "ip_v4_network", "string_type", "int_type"}
)  # fmt: skip


def _problem_from_error(error: Any) -> Problem:
    loc = tuple(error["loc"])
    path = _format_path(loc)
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    value = error.get("input")
    is_key = bool(loc) and loc[-1] == "[key]"
    if error["type"] == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")
        rule = PATTERN_RULES.get(pattern, "not in the allowed form")
        oddity = unusual_character_message(value) if isinstance(value, str) else None
        message = f"must be {rule}; got {echo(value)}" + (f" ({oddity})" if oddity else "")
    elif error["type"] in ("string_too_long", "too_long") and isinstance(value, str):
        message = f"{message}; got {echo(value, 40)}"
    elif error["type"] in _ECHO_INPUT and not isinstance(value, (dict, list)):
        message = f"{message}; got {echo(value)}"
    if is_key:
        message = f"key {echo(loc[-2])}: {message}"
    if error["type"] == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        close = close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        message = f"unknown field; {hint}allowed: {', '.join(allowed)}"
    elif error["type"] == "missing":
        message = "required field is missing"
    return Problem(path, message)


def _format_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in str(part) or str(part).startswith("function-"):
            continue  # pydantic's internal validator names, not user fields
        else:
            path += f".{part}" if path else str(part)
    return path


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found by walking ``loc`` down from Environment."""
    model: type[BaseModel] = Environment
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        nested = _model_in(field.annotation) if field else None
        if nested is None:
            return []
        model = nested
    return sorted(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
