"""Reading a spec: from a YAML file or a Pulumi stack file, into a checked :class:`Environment`.

Every failure (missing file, YAML syntax, wrong structure, catalog rule) ends as one
:class:`SpecError` listing each problem with its field path; nothing else escapes.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from aimodel_infra.catalog import Catalog, default_catalog
from aimodel_infra.errors import Problem, SpecError
from aimodel_infra.spec.checks import check_environment, gpu_request
from aimodel_infra.spec.models import Environment

PROJECT_NAME = "aimodel-infra"
CONFIG_KEY = f"{PROJECT_NAME}:environment"
STACKS_DIR = "stacks"


def find_project_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` holding Pulumi.yaml; else ``start`` itself."""
    here = (start or Path.cwd()).resolve()
    return next((d for d in (here, *here.parents) if (d / "Pulumi.yaml").is_file()), here)


def resolve_spec_path(spec: str | Path, root: Path | None = None) -> Path:
    """A path as given if it exists, else the stack file ``stacks/Pulumi.<spec>.yaml``."""
    path = Path(spec)
    if _is_file(path):
        return path
    if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        raise SpecError([Problem("", f"no such file: {path}")])
    stacks = find_project_root(root) / STACKS_DIR
    stack_file = stacks / f"Pulumi.{spec}.yaml"
    if _is_file(stack_file):
        return stack_file
    available = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in stacks.glob("Pulumi.*.yaml"))
    hint = f"; available stacks: {', '.join(available)}" if available else f"; no stack files in {stacks}"
    raise SpecError([Problem("", f"{spec!r} is neither a file nor a stack in {stacks}{hint}")])


def _is_file(path: Path) -> bool:
    """``Path.is_file`` that answers False where the OS refuses the name (too long, say)."""
    try:
        return path.is_file()
    except OSError:
        return False


def read_document(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem("", f"cannot read {path}: {exc}")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise SpecError([Problem("", f"YAML syntax error at {where}{reason}")], source=str(path)) from None
    except RecursionError:
        # PyYAML composes recursively: thousands of nested '[' exhaust the stack before any YAMLError.
        raise SpecError([Problem("", "YAML nested too deeply to be an environment spec")], source=str(path)) from None


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


def load_spec(spec: str | Path, catalog: Catalog | None = None, root: Path | None = None) -> Environment:
    """Load a spec from a YAML path or a stack name (``aws-dev`` -> ``stacks/Pulumi.aws-dev.yaml``)."""
    path = resolve_spec_path(spec, root)
    document = environment_document(read_document(path), source=str(path))
    return parse_environment(document, catalog, source=str(path))


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

    return env.model_copy(update={"node_pools": fix(env.node_pools), "autoscaling_groups": fix(env.autoscaling_groups)})


def _problem_from_error(error: Any) -> Problem:
    loc = tuple(error["loc"])
    path = _format_path(loc)
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if error["type"] == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
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
