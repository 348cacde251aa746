"""How results look on a terminal: pure functions from results to rich renderables and strings.

Nothing here loads a spec or prices anything, so tests hand in a result and read the text back
(:func:`to_text`). Data strings (names, notes, fee sources) go into tables as :class:`Text`,
never as markup, so a ``[`` in a note cannot restyle the output. Colour follows rich's own rules:
none when ``NO_COLOR`` is set or stdout is not a terminal.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from aimodel_infra.cli.text import catalog_age, money, plural, price, quantity, signed_money

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog, Offering
    from aimodel_infra.cost import Comparison, ComputeCost, CostEstimate, Placement

#: Width for output that is not a terminal (pipes, CI logs): wide enough that the cost table's
#: ten columns are not squeezed into wrapped cells.
PIPE_WIDTH = 160
DASH = "—"


# -- output -----------------------------------------------------------------------------------
def console() -> Console:
    """The stdout console: rich's terminal and NO_COLOR detection, wide when piped."""
    out = Console(markup=False, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = PIPE_WIDTH
    return out


def print_all(renderables: Iterable[RenderableType]) -> None:
    out = console()
    for renderable in renderables:
        out.print(renderable)


def to_text(renderables: Iterable[RenderableType], width: int = PIPE_WIDTH) -> str:
    """Plain text of renderables, as a pipe would receive them (for tests and snapshots)."""
    buffer = io.StringIO()
    out = Console(file=buffer, width=width, markup=False, highlight=False, color_system=None)
    for renderable in renderables:
        out.print(renderable)
    return buffer.getvalue()


def _table(title: str, columns: Sequence[str], right: frozenset[str] = frozenset()) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table


def _notes(title: str, notes: Iterable[str]) -> list[RenderableType]:
    lines = [Text(f"  - {note}") for note in notes]
    return [Text(title, style="bold"), *lines] if lines else []


# -- cost -------------------------------------------------------------------------------------
COMPUTE_COLUMNS = (
    "name", "kind", "instance type", "shape", "capacity", "$/h", "min /mo", "desired /mo", "max /mo", "worst case /mo",
)  # fmt: skip
COMPUTE_CAPTION = "/mo: per month at (nodes); worst case: max nodes at the highest price the capacity can be billed"
FEE_COLUMNS = ("fee", "quantity", "unit", "unit price", "monthly", "source")


def _at_size(monthly: float, nodes: int) -> str:
    return f"{money(monthly)} ({nodes})"


def compute_table(estimate: CostEstimate) -> Table:
    right = frozenset(COMPUTE_COLUMNS[5:])
    table = _table(f"Compute: {estimate.environment} ({estimate.cloud} {estimate.region})", COMPUTE_COLUMNS, right)
    table.caption, table.caption_justify = COMPUTE_CAPTION, "left"
    for c in estimate.compute:
        table.add_row(
            Text(c.name), c.kind.replace("_", " "), Text(c.instance_type), c.shape, c.capacity, price(c.unit_hourly),
            _at_size(c.min.monthly, c.min.nodes), _at_size(c.desired.monthly, c.desired.nodes),
            _at_size(c.max.monthly, c.max.nodes), money(c.worst_case_monthly),
        )  # fmt: skip
    return table


def fee_table(estimate: CostEstimate) -> Table:
    """Fees with where each price comes from; long sources are cut (``--json`` has them whole)."""
    table = _table("Fixed fees", FEE_COLUMNS[:-1], frozenset({"quantity", "unit price", "monthly"}))
    table.add_column(FEE_COLUMNS[-1], max_width=60, overflow="ellipsis", no_wrap=True)
    for fee in estimate.fees:
        table.add_row(
            Text(fee.name), quantity(fee.quantity), fee.unit, price(fee.unit_price), money(fee.monthly),
            Text(fee.source),
        )  # fmt: skip
    return table


def totals_table(estimate: CostEstimate) -> Table:
    columns = ("min", "desired", "max", "worst case")
    table = _table("Total per month", columns, frozenset(columns))
    table.add_row(
        money(estimate.min_monthly), money(estimate.desired_monthly), money(estimate.max_monthly),
        Text(money(estimate.worst_case_monthly), style="bold"),
    )  # fmt: skip
    return table


def budget_line(estimate: CostEstimate) -> Text:
    """Within budget / OVER BUDGET by $X, judged on the worst case (what the autoscalers may reach)."""
    if estimate.budget_monthly is None:
        return Text("no budget set (add budget.monthly_usd to the spec)")
    budget, worst = estimate.budget_monthly, estimate.worst_case_monthly
    if estimate.over_budget:
        return Text(
            f"OVER BUDGET by {money(worst - budget)}: worst case {money(worst)} > budget {money(budget)}",
            style="bold red",
        )
    return Text(
        f"within budget: worst case {money(worst)} <= budget {money(budget)} ({money(budget - worst)} headroom)",
        style="green",
    )


def _compute_notes(compute: Iterable[ComputeCost]) -> list[str]:
    return [f"{c.name}: {note}" for c in compute for note in c.notes]


def cost_report(estimate: CostEstimate, today: date | None = None) -> list[RenderableType]:
    """Everything ``cost`` prints, top to bottom."""
    return [
        compute_table(estimate),
        fee_table(estimate),
        totals_table(estimate),
        budget_line(estimate),
        Text(catalog_age(estimate.catalog_as_of, today)),
        *_notes("Notes", [*_compute_notes(estimate.compute), *estimate.notes]),
    ]


# -- compare ----------------------------------------------------------------------------------
def _instance_types(placement: Placement) -> Text:
    return Text(", ".join(f"{c.name}: {c.nodes} x {c.instance_type}" for c in placement.compute))


def _delta(placement: Placement, current_monthly: float | None) -> str:
    if placement.is_current:
        return "current"
    return DASH if current_monthly is None else signed_money(placement.monthly - current_monthly)


def placements_table(comparison: Comparison, current_monthly: float | None, top: int) -> Table:
    title = f"Cheapest placements at {comparison.basis} nodes"
    columns = ("rank", "cloud", "region", "monthly", "compute (nodes x instance type)", "vs current")
    table = _table(title, columns, frozenset({"rank", "monthly", "vs current"}))
    for rank, placement in enumerate(comparison.placements[:top], start=1):
        style = "bold" if placement.is_current else ""
        table.add_row(
            str(rank), placement.cloud, Text(placement.region), money(placement.monthly),
            _instance_types(placement), _delta(placement, current_monthly), style=style,
        )  # fmt: skip
    return table


def unplaced_table(comparison: Comparison) -> Table:
    table = _table("Could not be placed", ("cloud", "region", "why"))
    for unplaced in comparison.unplaced:
        table.add_row(unplaced.cloud, Text(unplaced.region), Text("; ".join(unplaced.reasons)))
    return table


def comparison_report(
    comparison: Comparison, current_monthly: float | None, top: int, today: date | None = None
) -> list[RenderableType]:
    """Everything ``compare`` prints: ranked placements, what was left out, the catalog's age."""
    shown = min(top, len(comparison.placements))
    parts: list[RenderableType] = []
    if comparison.placements:
        parts.append(placements_table(comparison, current_monthly, top))
        if shown < len(comparison.placements):
            parts.append(Text(f"showing {shown} of {len(comparison.placements)} placements (--top to see more)"))
    else:
        parts.append(Text("no region offers everything this environment asks for", style="bold red"))
    if current_monthly is None:
        parts.append(Text("the current placement is not among the compared regions; no deltas"))
    if comparison.unplaced:
        parts.append(unplaced_table(comparison))
    parts.append(Text(catalog_age(comparison.catalog_as_of, today)))
    return parts


# -- catalog ----------------------------------------------------------------------------------
OFFERING_COLUMNS = (
    "cloud", "region", "instance type", "shape", "GPU memory", "vCPUs", "memory", "on-demand $/h", "spot $/h",
)  # fmt: skip


def offerings_table(offerings: Iterable[Offering]) -> Table:
    right = frozenset(OFFERING_COLUMNS[4:])
    table = _table("GPU offerings", OFFERING_COLUMNS, right)
    for o in offerings:
        spot = DASH if o.spot_price_per_hour is None else price(o.spot_price_per_hour)
        table.add_row(
            o.cloud, Text(o.region), Text(o.instance_type), o.shape, f"{o.accelerator_memory_gib:g} GiB",
            f"{o.vcpus:g}", f"{o.memory_gib:g} GiB", price(o.price_per_hour), spot,
        )  # fmt: skip
    return table


def catalog_report(offerings: Sequence[Offering], catalog: Catalog, today: date | None = None) -> list[RenderableType]:
    """Everything ``catalog`` prints: the offerings, then how old the prices are and where from."""
    body: RenderableType = offerings_table(offerings) if offerings else Text("no offerings match these filters")
    age = catalog_age(catalog.as_of, today)
    return [body, Text(f"{plural(len(offerings), 'offering')}; {age}; source: {catalog.source}")]
