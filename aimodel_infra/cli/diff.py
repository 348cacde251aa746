"""``aimodel-infra diff BASE HEAD``: the resources and the money a spec change moves.

Both sides are previewed offline with the same program, so the diff is of what Pulumi would
register (created, deleted, updated inputs) and of the monthly cost per pool and in total.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aimodel_infra.cli.options import (
    CatalogOption,
    JsonOption,
    complete_spec,
    emit_json,
    load_catalog_for,
    load_environment,
    settings,
)
from aimodel_infra.cli.preview import MarkdownOption

#: Exit code when pulumi up would refuse the change, so CI does not go green on an unappliable PR.
EXIT_REFUSED = 1
BaseArgument = Annotated[
    str,
    typer.Argument(metavar="BASE", autocompletion=complete_spec, help="The spec before: a stack name or YAML file."),
]
HeadArgument = Annotated[
    str,
    typer.Argument(metavar="HEAD", autocompletion=complete_spec, help="The spec after: a stack name or YAML file."),
]


def command(
    ctx: typer.Context,
    base: BaseArgument,
    head: HeadArgument,
    json_output: JsonOption = False,
    markdown: MarkdownOption = False,
    catalog_path: CatalogOption = None,
) -> None:
    """Compare two specs: what pulumi up would change, old -> new; monthly cost change.

    For pull requests: BASE is main's stack file, HEAD the branch's. Inputs
    under ignore_changes and maps in another order are no change. Exits 1
    when pulumi up would refuse a change (deleting or replacing a protected
    resource) or on invalid input, else 0 (gate policy and budget on
    `preview`).

    --json prints {"schema_version", "base": {"environment", "source"},
    "head": {...}, "resources": {"add": [{"type", "name"}], "remove":
    [{"type", "name", "protected", "retained"}], "change": [{"type", "name",
    "keys", "changes": [{"path", "old", "new"}]}], "replace": [{... as
    change, "replaced_by", "protected", "retained", "node_group_of"}]},
    "cost": {"compute": [{"name", "base_desired", "head_desired",
    "delta_desired", "base_max", "head_max", "delta_max", "base_worst_case",
    "head_worst_case", "delta_worst_case", "desired_held"}], "total": {the
    same sums, without "name" and "desired_held"}}, "budget":
    {"base_monthly", "head_monthly", "base_over_budget", "head_over_budget"},
    "refused": [{"type", "name", "kind"}], "head_passed"}.
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
    if result.refused:
        raise typer.Exit(EXIT_REFUSED)
