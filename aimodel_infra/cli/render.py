"""How results look: pure functions from results to reports, and the one place that prints them.

Nothing here loads a spec or prices anything, so tests hand in a result and read the text back. A
report is a list of :mod:`aimodel_infra.cli.document` parts (text, tables, layouts for narrower
widths), drawn by rich on a terminal (:mod:`aimodel_infra.cli.terminal`) and as plain aligned text
everywhere else (:mod:`aimodel_infra.cli.plain`); neither is imported before :func:`print_all`
knows which it needs. Data strings (names, notes, fee sources) go into tables as :class:`Text`,
never as markup.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING

from aimodel_infra.cli.document import Fitted, Renderable, Stack, Table, Text
from aimodel_infra.cli.text import catalog_age, money, plural, price, quantity, signed_money

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog, Offering
    from aimodel_infra.cost import Comparison, ComputeCost, CostEstimate, Placement
    from aimodel_infra.cost.job import BudgetFit, JobCost

DASH = "—"


# -- output -----------------------------------------------------------------------------------
def print_all(renderables: Iterable[Renderable]) -> None:
    """Print a report: with rich on a terminal, as plain text to anything else."""
    if is_terminal(sys.stdout):
        from aimodel_infra.cli import terminal

        terminal.print_all(renderables)
    else:
        from aimodel_infra.cli.plain import to_plain

        sys.stdout.write(to_plain(renderables))


def is_terminal(stream: IO[str], environ: Mapping[str, str] = os.environ) -> bool:
    """Whether rich would treat ``stream`` as a terminal: rich's own rules, without importing rich.

    ``TTY_COMPATIBLE=1`` / ``0`` decide first, then ``FORCE_COLOR`` (set and not empty: a terminal,
    as https://force-color.org/ asks), then whether the stream is a TTY.
    """
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = environ.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def _table(title: str, columns: Sequence[str], right: frozenset[str] = frozenset()) -> Table:
    table = Table(title)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table


def _blocks(title: str, rows: Iterable[tuple[str, Sequence[tuple[str, str]]]]) -> list[Renderable]:
    """One block per row (``name`` then ``  field: value`` lines): the layout that fits any width."""
    parts: list[Renderable] = [Text(title, style="bold")]
    for name, fields in rows:
        parts.append(Text(f"  {name}", style="bold"))
        parts += [Text(f"    {label}: {value}") for label, value in fields]
    return parts


def _notes(title: str, notes: Iterable[str]) -> list[Renderable]:
    lines = [Text(f"  - {note}") for note in notes]
    return [Text(title, style="bold"), *lines] if lines else []


# -- cost -------------------------------------------------------------------------------------
COMPUTE_COLUMNS = (
    "name", "kind", "instance type", "shape", "capacity", "$/h", "$/GPU-h", "disk /node/mo", "min /mo", "desired /mo",
    "max /mo", "worst case /mo",
)  # fmt: skip
#: The columns kept when the full table does not fit: kind and shape go first, then sizes.
MEDIUM_COMPUTE_COLUMNS = (
    "name",
    "instance type",
    "capacity",
    "$/h",
    "$/GPU-h",
    "desired /mo",
    "max /mo",
    "worst case /mo",
)
COMPACT_COMPUTE_COLUMNS = ("name", "instance type", "$/GPU-h", "desired /mo", "worst case /mo")
COMPUTE_CAPTION = (
    "/mo: per month at the node count in parentheses, each node with its root disk; $/h per node and $/GPU-h per "
    "GPU at the expected price (spot for spot capacity), instance only; disk /node/mo: one node's root disk (GB), "
    "source numbered with the fees' ([n]), — not priced (see notes); worst case: every scaling group at its max at "
    "its own price"
)
FEE_COLUMNS = ("fee", "quantity", "unit", "unit price", "monthly", "source")


def _at_size(monthly: float, nodes: int) -> str:
    return f"{money(monthly)} ({nodes})"


def _gpu_hour(c: ComputeCost) -> str:
    return DASH if c.gpu_hourly is None else price(c.gpu_hourly)


def _root_disk(c: ComputeCost, sources: list[str]) -> str:
    if c.root_disk_monthly is None:
        return f"{DASH} ({c.root_disk_gb} GB)" if c.root_disk_gb else DASH
    return f"{money(c.root_disk_monthly)} ({c.root_disk_gb} GB) [{sources.index(c.root_disk_source) + 1}]"


def _compute_cells(c: ComputeCost, sources: list[str]) -> dict[str, Renderable]:
    return {
        "name": Text(c.name), "kind": c.kind.replace("_", " "), "instance type": Text(c.instance_type),
        "shape": c.shape, "capacity": c.capacity.replace("_", " "), "$/h": price(c.unit_hourly),
        "$/GPU-h": _gpu_hour(c), "disk /node/mo": _root_disk(c, sources),
        "min /mo": _at_size(c.min.monthly, c.min.nodes), "desired /mo": _at_size(c.desired.monthly, c.desired.nodes),
        "max /mo": _at_size(c.max.monthly, c.max.nodes),
        "worst case /mo": money(c.worst_case_monthly),
    }  # fmt: skip


def _compute_table_with(estimate: CostEstimate, columns: Sequence[str]) -> Table:
    right = frozenset(COMPUTE_COLUMNS[5:])
    table = _table(f"Compute: {estimate.environment} ({estimate.cloud} {estimate.region})", columns, right)
    table.caption = COMPUTE_CAPTION
    sources = _fee_footnotes(estimate)[1]
    for c in estimate.compute:
        cells = _compute_cells(c, sources)
        table.add_row(*(cells[column] for column in columns))
    return table


def compute_table(estimate: CostEstimate) -> Table:
    return _compute_table_with(estimate, COMPUTE_COLUMNS)


def _compute_blocks(estimate: CostEstimate) -> Stack:
    rows = []
    sources = _fee_footnotes(estimate)[1]
    for c in estimate.compute:
        fields = [
            ("runs", f"{c.instance_type} ({c.shape}), {c.capacity.replace('_', ' ')}, {c.kind.replace('_', ' ')}"),
            ("unit", f"{price(c.unit_hourly)}/h per node, {_gpu_hour(c)}/h per GPU"),
            ("root disk", f"{_root_disk(c, sources)} per node per month"),
            ("per month", f"min {_at_size(c.min.monthly, c.min.nodes)}, desired "
             f"{_at_size(c.desired.monthly, c.desired.nodes)}, max {_at_size(c.max.monthly, c.max.nodes)}"),
            ("worst case", f"{money(c.worst_case_monthly)} / month"),
        ]  # fmt: skip
        rows.append((c.name, fields))
    title = f"Compute: {estimate.environment} ({estimate.cloud} {estimate.region})"
    return Stack([*_blocks(title, rows), Text(COMPUTE_CAPTION)])


def compute_view(estimate: CostEstimate) -> Fitted:
    """The compute table, as wide as the terminal allows: all columns, the essential ones, or blocks."""
    return Fitted(
        compute_table(estimate),
        _compute_table_with(estimate, MEDIUM_COMPUTE_COLUMNS),
        _compute_table_with(estimate, COMPACT_COMPUTE_COLUMNS),
        _compute_blocks(estimate),
    )


def fee_table(estimate: CostEstimate, columns: Sequence[str] = FEE_COLUMNS) -> Table:
    """Fees with where each price comes from: the sources are numbered footnotes under the table,
    whole and wrapped, so no column has to be cut."""
    table = _table("Fixed fees", columns, frozenset({"quantity", "unit price", "monthly"}))
    for fee, note in zip(estimate.fees, _fee_footnotes(estimate)[0], strict=True):
        cells = {
            "fee": Text(fee.name), "quantity": quantity(fee.quantity), "unit": fee.unit.replace("_", "-"),
            "unit price": price(fee.unit_price), "monthly": money(fee.monthly), "source": f"[{note}]",
        }  # fmt: skip
        table.add_row(*(cells[column] for column in columns))
    return table


def fee_view(estimate: CostEstimate) -> Fitted:
    rows = [
        (fee.name, [("monthly", f"{money(fee.monthly)} ({quantity(fee.quantity)} {fee.unit} "
                                f"at {price(fee.unit_price)})"), ("source", f"[{note}]")])
        for fee, note in zip(estimate.fees, _fee_footnotes(estimate)[0], strict=True)
    ]  # fmt: skip
    return Fitted(
        fee_table(estimate), fee_table(estimate, ("fee", "unit price", "monthly", "source")),
        Stack(_blocks("Fixed fees", rows)),
    )  # fmt: skip


def _fee_footnotes(estimate: CostEstimate) -> tuple[list[int], list[str]]:
    """Each fee's footnote number, and the distinct sources in order (fees often share one), the
    root-disk prices' sources after the fees'."""
    sources: list[str] = []
    numbers = []
    for fee in estimate.fees:
        if fee.source not in sources:
            sources.append(fee.source)
        numbers.append(sources.index(fee.source) + 1)
    for c in estimate.compute:
        if c.root_disk_source and c.root_disk_source not in sources:
            sources.append(c.root_disk_source)
    return numbers, sources


def fee_sources(estimate: CostEstimate) -> list[Renderable]:
    _, sources = _fee_footnotes(estimate)
    return [Text(f"[{n}] {source}") for n, source in enumerate(sources, start=1)]


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


def budget_fit_lines(fit: BudgetFit | None) -> list[Renderable]:
    """What would fit an over-budget estimate, as changes a user can make."""
    if fit is None:
        return []
    lines = [Text("What fits the budget:", style="bold")]
    for pool in fit.max_nodes:
        if pool.fits_max_nodes is None:
            lines.append(Text(f"  - {pool.name}: no max_nodes fits while the rest stays as it is"))
        else:
            lines.append(
                Text(
                    f"  - {pool.name}: max_nodes {pool.max_nodes} -> {pool.fits_max_nodes} "
                    f"(worst case {money(pool.worst_case_monthly or 0.0)})"
                )
            )
    lines.append(
        Text(f"  - or run at the worst case for at most {hours(fit.hours_at_worst_case)} of the month's 730 hours")
    )
    if fit.placement is not None:
        p = fit.placement
        lines.append(
            Text(
                f"  - or move it: cheapest where it fits is {p.cloud} {p.region} "
                f"(worst case {money(p.worst_case_monthly)})"
            )
        )
    else:
        lines.append(
            Text("  - no cloud or region in the catalog fits it whole (aimodel-infra compare SPEC --at worst)")
        )
    return lines


def hours(amount: float) -> str:
    return f"{amount:,.0f} h" if amount >= 10 else f"{amount:,.1f} h"


def job_table(job: JobCost) -> Table:
    at = "worst case" if job.at == "worst" else f"{job.at} nodes"
    title = f"Job: {hours(job.hours)} ({job.hours / 24:g} days) at {at}"
    columns = ("pool / group", "nodes", "GPUs", "$/h", "job cost")
    table = _table(title, columns, frozenset(columns[1:]))
    for index, column in enumerate(table.columns):
        column.no_wrap = index > 0
    for line in job.compute:
        table.add_row(Text(line.name), str(line.nodes), str(line.gpus), price(line.hourly), money(line.cost))
    table.add_row("fixed fees and system pool", "", "", price(job.fixed_hourly), money(job.fixed_cost))
    table.add_row(Text("total", style="bold"), "", "", price(job.hourly), Text(money(job.cost), style="bold"))
    return table


def job_lines(job: JobCost) -> list[Renderable]:
    lines: list[Renderable] = [job_table(job)]
    if job.cost_per_gpu_hour is not None:
        lines.append(Text(f"{quantity(job.gpu_hours)} GPU-hours at {price(job.cost_per_gpu_hour)} per GPU-hour"))
    if job.budget_monthly is not None and job.budget_hours is not None:
        verdict = "fits" if job.within_budget else "does NOT fit"
        lines.append(
            Text(
                f"the job {verdict} the monthly budget of {money(job.budget_monthly)}, "
                f"which buys {hours(job.budget_hours)} at this size",
                style="green" if job.within_budget else "bold red",
            )
        )
    return lines


def _compute_notes(compute: Iterable[ComputeCost]) -> list[str]:
    return [f"{c.name}: {note}" for c in compute for note in c.notes]


NOT_PRICED_MARK = " not priced:"


def unpriced_line(estimate: CostEstimate) -> list[Renderable]:
    """Right under the totals: what they leave out because the catalog cannot price it."""
    left_out = [note.split(NOT_PRICED_MARK)[0] for note in estimate.notes if NOT_PRICED_MARK in note]
    if not left_out:
        return []
    return [Text(f"totals leave out what the catalog cannot price: {'; '.join(left_out)}", style="bold yellow")]


def cost_report(
    estimate: CostEstimate, today: date | None = None, job: JobCost | None = None, fit: BudgetFit | None = None
) -> list[Renderable]:
    """Everything ``cost`` prints, top to bottom."""
    return [
        compute_view(estimate),
        fee_view(estimate),
        *fee_sources(estimate),
        totals_table(estimate),
        *unpriced_line(estimate),
        budget_line(estimate),
        *budget_fit_lines(fit),
        *(job_lines(job) if job is not None else []),
        Text(catalog_age(estimate.catalog_as_of, today)),
        *_notes("Notes", [*_compute_notes(estimate.compute), *estimate.notes]),
    ]


# -- compare ----------------------------------------------------------------------------------
#: How a row's price basis reads; "spot?" is spot capacity priced on-demand (no spot price known).
PRICE_BASIS_MARKS = {"spot": "spot", "on_demand": "on-demand", "spot_unknown": "spot unknown, on-demand price"}
BASIS_TITLES = {"worst": "worst case (the budget's number)", "min": "min nodes", "desired": "desired nodes",
                "max": "max nodes"}  # fmt: skip


def _instance_types(placement: Placement, caveats: dict[tuple[str, str], int]) -> Text:
    parts = []
    for c in placement.compute:
        mark = f" [{caveats[(placement.region, c.instance_type)]}]" if c.caveat else ""
        instead = f" for {c.substitutes}" if c.substitutes else ""
        parts.append(f"{c.name}: {c.nodes} x {c.instance_type}{instead} ({PRICE_BASIS_MARKS[c.price_basis]}){mark}")
    return Text("; ".join(parts))


def _delta(placement: Placement, current_monthly: float | None) -> str:
    if placement.is_current:
        return "current"
    return DASH if current_monthly is None else signed_money(placement.monthly - current_monthly)


def _row_verdict(placement: Placement) -> str:
    if placement.within_budget is None:
        return "no budget"
    return "within budget" if placement.within_budget else "OVER BUDGET"


def _caveat_numbers(comparison: Comparison, top: int) -> dict[tuple[str, str], int]:
    numbers: dict[tuple[str, str], int] = {}
    for placement in comparison.placements[:top]:
        for c in placement.compute:
            if c.caveat:
                numbers.setdefault((placement.region, c.instance_type), len(numbers) + 1)
    return numbers


def placements_table(comparison: Comparison, current_monthly: float | None, top: int) -> Table:
    title = f"Cheapest placements at {BASIS_TITLES[comparison.basis]}"
    columns = ("rank", "cloud", "region", "monthly", "worst case", "budget", "compute (nodes x instance type)",
               "vs current")  # fmt: skip
    table = _table(title, columns, frozenset({"rank", "monthly", "worst case", "vs current"}))
    caveats = _caveat_numbers(comparison, top)
    for rank, placement in enumerate(comparison.placements[:top], start=1):
        style = "bold" if placement.is_current else ""
        table.add_row(
            str(rank), placement.cloud, Text(placement.region), money(placement.monthly),
            money(placement.worst_case_monthly), _row_verdict(placement), _instance_types(placement, caveats),
            _delta(placement, current_monthly), style=style,
        )  # fmt: skip
    return table


def _placement_blocks(comparison: Comparison, current_monthly: float | None, top: int) -> Stack:
    caveats = _caveat_numbers(comparison, top)
    rows = [
        (
            f"#{rank} {p.cloud} {p.region}" + (" (current)" if p.is_current else ""),
            [
                ("monthly", f"{money(p.monthly)} ({_delta(p, current_monthly)})"),
                ("worst case", f"{money(p.worst_case_monthly)}, {_row_verdict(p)}"),
                ("compute", _instance_types(p, caveats).plain),
            ],
        )
        for rank, p in enumerate(comparison.placements[:top], start=1)
    ]
    return Stack(_blocks(f"Cheapest placements at {BASIS_TITLES[comparison.basis]}", rows))


def placements_view(comparison: Comparison, current_monthly: float | None, top: int) -> Fitted:
    return Fitted(
        placements_table(comparison, current_monthly, top), _placement_blocks(comparison, current_monthly, top)
    )


def caveat_lines(comparison: Comparison, top: int) -> list[Renderable]:
    """The catalog's caveats for the prices the shown rows rest on, as numbered footnotes."""
    numbers = _caveat_numbers(comparison, top)
    texts = {
        (p.region, c.instance_type): f"{p.cloud} {p.region} {c.instance_type}: {c.caveat}"
        for p in comparison.placements[:top] for c in p.compute if c.caveat
    }  # fmt: skip
    return [Text(f"[{n}] caveat: {texts[key]}") for key, n in numbers.items()]


def unplaced_table(comparison: Comparison) -> Table:
    table = _table("Could not be placed", ("cloud", "region", "why"))
    for unplaced in comparison.unplaced:
        table.add_row(unplaced.cloud, Text(unplaced.region), Text("; ".join(unplaced.reasons)))
    return table


def comparison_report(
    comparison: Comparison, current_monthly: float | None, top: int, today: date | None = None
) -> list[Renderable]:
    """Everything ``compare`` prints: ranked placements, what was left out, the catalog's age."""
    shown = min(top, len(comparison.placements))
    parts: list[Renderable] = []
    if comparison.placements:
        parts.append(placements_view(comparison, current_monthly, top))
        parts += caveat_lines(comparison, top)
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
    "$/GPU-h", "caveat",
)  # fmt: skip
NOT_PRICED = "not priced"


def offerings_table(offerings: Iterable[Offering]) -> Table:
    right = frozenset(OFFERING_COLUMNS[4:10])
    table = _table("GPU offerings", OFFERING_COLUMNS, right)
    # Names and prices must stay whole; the caveat folds into a narrow column instead.
    for column in table.columns[:10]:
        column.no_wrap = True
    table.columns[-1].max_width = 22
    table.columns[-1].overflow = "fold"
    for o in offerings:
        spot = DASH if o.spot_price_per_hour is None else price(o.spot_price_per_hour)
        on_demand = price(o.price_per_hour) if o.priced else NOT_PRICED
        per_gpu = DASH if o.price_per_gpu_hour is None else price(o.price_per_gpu_hour)
        table.add_row(
            o.cloud, Text(o.region), Text(o.instance_type), o.shape, f"{o.accelerator_memory_gib:g} GiB",
            f"{o.vcpus:g}", f"{o.memory_gib:g} GiB", on_demand, spot, per_gpu, Text(o.caveat or ""),
        )  # fmt: skip
    return table


def catalog_report(offerings: Sequence[Offering], catalog: Catalog, today: date | None = None) -> list[Renderable]:
    """Everything ``catalog`` prints: the offerings, then how old the prices are and where from."""
    body: Renderable = offerings_table(offerings) if offerings else Text("no offerings match these filters")
    age = catalog_age(catalog.as_of, today)
    parts: list[Renderable] = [body, Text(f"{plural(len(offerings), 'offering')}; {age}; source: {catalog.source}")]
    if catalog.as_of is None and catalog.age_note:
        parts.append(Text(f"data: {catalog.age_note}"))
    if any(o.caveat for o in offerings):
        parts.append(
            Text("caveat: a price the source makes suspect; check it before relying on a ranking that uses it")
        )
    return parts
