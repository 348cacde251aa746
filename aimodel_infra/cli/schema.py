"""``aimodel-infra schema``: the spec's JSON Schema, for editors and for other tools.

The schema is generated from :class:`aimodel_infra.spec.Environment` (its field descriptions
are the documentation), never written by hand. The repository keeps two generated copies that
the stack files point editors at (``# yaml-language-server: $schema=../schema/stack.schema.json``);
a test fails when they differ from what this module generates. Regenerate them with::

    aimodel-infra schema --output schema/environment.schema.json
    aimodel-infra schema --stack-file --output schema/stack.schema.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from aimodel_infra.cli.options import JsonOption, display_path, emit_json, settings
from aimodel_infra.errors import AimodelError

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVIRONMENT_SCHEMA_FILE = "environment.schema.json"
STACK_SCHEMA_FILE = "stack.schema.json"

StackFileOption = Annotated[
    bool, typer.Option("--stack-file", help="Schema of a whole Pulumi stack file holding the environment.")
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="PATH", dir_okay=False, help="Write the schema to this file, not stdout."),
]


def command(
    ctx: typer.Context,
    stack_file: StackFileOption = False,
    output: OutputOption = None,
    json_output: JsonOption = False,
) -> None:
    """Print the JSON Schema of a spec, or of a whole stack file.

    The output is JSON either way. With --output the file is written and
    its path printed ({"written": PATH} under --json).
    """
    options = settings(ctx, json_output)
    schema = stack_file_schema() if stack_file else environment_schema()
    if output is None:
        typer.echo(schema_text(schema), nl=False)
        return
    try:
        output.write_text(schema_text(schema), encoding="utf-8")
    except OSError as exc:
        raise AimodelError(f"cannot write the schema to {output}: {exc.strerror}") from None
    if options.json:
        emit_json({"written": display_path(output)})
    else:
        typer.echo(f"wrote {display_path(output)}")


def environment_schema() -> dict[str, Any]:
    """JSON Schema of one environment, as pydantic derives it from the spec models."""
    from aimodel_infra.spec import Environment

    return {"$schema": JSON_SCHEMA_DIALECT, **Environment.model_json_schema()}


def stack_file_schema() -> dict[str, Any]:
    """JSON Schema of ``stacks/Pulumi.<stack>.yaml``: the environment under its config key.

    Other top-level keys (``secretsprovider``, ``encryptedkey``) and other config keys
    (``aws:region``, another package's settings) are Pulumi's business, so they are allowed.
    """
    from aimodel_infra.spec import CONFIG_KEY

    environment = environment_schema()
    environment.pop("$schema")
    definitions = environment.pop("$defs", {})
    if "Environment" in definitions:
        raise AssertionError("the spec already defines an 'Environment' sub-schema; pick another name here")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "aimodel-infra Pulumi stack file",
        "description": f"A Pulumi stack file whose config '{CONFIG_KEY}' holds an aimodel-infra environment.",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": {CONFIG_KEY: {"$ref": "#/$defs/Environment"}},
                "required": [CONFIG_KEY],
                "additionalProperties": True,
            }
        },
        "required": ["config"],
        "additionalProperties": True,
        "$defs": {**definitions, "Environment": environment},
    }


def schema_text(schema: dict[str, Any]) -> str:
    """The committed file format: stable key order, two-space indent, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
