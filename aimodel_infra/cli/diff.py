"""``aimodel-infra diff BASE HEAD``: the resources and the money a spec change moves.

Both sides are previewed offline with the same program, so the diff is of what Pulumi would
register (created, deleted, updated inputs) and of the monthly cost per pool and in total.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimodel_infra.cli.options import CatalogOption, JsonOption, emit_json, load_catalog_for, load_environment, settings
from aimodel_infra.cli.preview import MarkdownOption

BaseArgument = Annotated[str, typer.Argument(metavar="BASE", help="The spec before: a stack name or YAML file.")]
HeadArgument = Annotated[str, typer.Argument(metavar="HEAD", help="The spec after: a stack name or YAML file.")]


def command(
    ctx: typer.Context,
    base: BaseArgument,
    head: HeadArgument,
    json_output: JsonOption = False,
    markdown: MarkdownOption = False,
    catalog_path: CatalogOption = None,
) -> None:
    """Compare two specs: resources added, removed, changed; monthly cost change.

    For pull requests: BASE is main's stack file, HEAD the branch's. Exits 0
    (the diff is information; gate on `preview`), 1 on invalid input.

    --json prints {"base": {"environment", "source"}, "head": {...},
    "resources": {"add": [{"type", "name"}], "remove": [...], "change":
    [{"type", "name", "keys"}]}, "cost": {"compute": [{"name", "base_desired",
    "head_desired", "base_max", "head_max", "delta_desired", "delta_max"}],
    "total": {...}}, "head_passed"}.
    """
    options = settings(ctx, json_output, catalog_path)
    catalog = load_catalog_for(options)
    base_env, base_source = load_environment(base, catalog)
    head_env, head_source = load_environment(head, catalog)
    from aimodel_infra.diff import diff_environments

    result = diff_environments(base_env, head_env, catalog, base_source, head_source)
    if options.json:
        emit_json(result.to_dict())
    elif markdown:
        from aimodel_infra.cli.render_preview import diff_markdown

        sys.stdout.write(diff_markdown(result))
    else:
        from aimodel_infra.cli.render import print_all
        from aimodel_infra.cli.render_preview import diff_report

        print_all(diff_report(result))
