"""``aimodel-infra preview SPEC``: what `pulumi up` would create, cost and break, offline.

Runs the real Pulumi program under recording mocks (no credentials, network or Pulumi CLI),
prices the spec and runs the policy rules on the recorded graph. Exits 1 when a mandatory
policy fails (and is not waived) or the worst-case monthly cost exceeds the budget, so a CI job
can gate a pull request on it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from aimodel_infra.cli.options import (
    CatalogOption,
    JsonOption,
    SpecArgument,
    emit_json,
    load_catalog_for,
    load_environment,
    settings,
)

if TYPE_CHECKING:
    from aimodel_infra.graph import RecordedResource

EXIT_FAILED = 1
MarkdownOption = Annotated[bool, typer.Option("--markdown", help="Print a Markdown report for a pull-request comment.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")]


def command(
    ctx: typer.Context,
    spec: SpecArgument,
    json_output: JsonOption = False,
    markdown: MarkdownOption = False,
    quiet: QuietOption = False,
    catalog_path: CatalogOption = None,
) -> None:
    """Preview a spec offline: resource tree, summary, monthly cost, policy findings.

    Runs the same program `pulumi up` runs, under recording mocks, with the
    stack's config: no credentials, no network, no Pulumi CLI. Exits 1 when a
    mandatory policy fails or the worst-case monthly cost exceeds the budget.

    --json prints {"schema_version", "spec", "source", "environment", "cloud",
    "region", "passed", "seconds", "summary": {"create", "by_type"},
    "resources": [{"type", "name", "parent", "custom", "protect",
    "retain_on_delete", "inputs"}], "cost" (as `cost --json` without its
    spec/source/catalog keys), "policy": {"passed", "findings", "waived",
    ...}, "api_reach": {"resources", "deployer_access"}}. A spec whose
    cloud has no builder yet is valid: its error document says "valid":
    true.
    """
    options = settings(ctx, json_output, catalog_path)
    catalog = load_catalog_for(options)
    env, source = load_environment(spec, catalog)
    from aimodel_infra.preview import run_preview

    with progress(enabled=not quiet, label=f"previewing {env.name}") as on_resource:
        result = run_preview(env, catalog, on_resource)
    if options.json:
        emit_json({"spec": spec, "source": source, **result.to_dict()})
    elif markdown:
        from aimodel_infra.cli.render_preview import preview_markdown

        sys.stdout.write(preview_markdown(result))
    else:
        from aimodel_infra.cli.render import print_all
        from aimodel_infra.cli.render_preview import preview_report

        print_all(preview_report(result))
    if not result.passed:
        raise typer.Exit(EXIT_FAILED)


@contextmanager
def progress(enabled: bool, label: str) -> Iterator[Callable[[RecordedResource], None] | None]:
    """Show registrations as they happen, on stderr so stdout stays the report.

    On a terminal a single status line counts resources; in a CI log each component is a line
    (components are few, resources many), so a long run is visibly alive without flooding.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console

    err = Console(stderr=True, highlight=False, markup=False, emoji=False)
    count = 0
    if err.is_terminal:
        with err.status(f"{label}: starting") as status:

            def update(resource: RecordedResource) -> None:
                nonlocal count
                count += 1
                status.update(f"{label}: {count} resources ({resource.type} {resource.name})")

            yield update
        return

    def log(resource: RecordedResource) -> None:
        nonlocal count
        count += 1
        if not resource.custom:
            sys.stderr.write(f"  {label}: {resource.type} {resource.name}\n")

    yield log
    sys.stderr.write(f"  {label}: {count} resources recorded\n")
