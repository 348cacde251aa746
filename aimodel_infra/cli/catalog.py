"""``aimodel-infra catalog``: which GPU shapes exist where, at what list price, and how old that is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimodel_infra.catalog.catalog import CLOUDS
from aimodel_infra.cli.cost import catalog_info
from aimodel_infra.cli.options import CatalogOption, JsonOption, cloud_name, emit_json, load_catalog_for, settings
from aimodel_infra.errors import CatalogError

if TYPE_CHECKING:
    from aimodel_infra.catalog import Catalog, Offering


def _known_cloud(value: str | None) -> str | None:
    return None if value is None else cloud_name(value)


AcceleratorOption = Annotated[
    str | None,
    typer.Option("--accelerator", metavar="GPU", help="GPU model, any case or alias (H100, h100, nvidia-l4)."),
]
CloudOption = Annotated[
    str | None,
    typer.Option("--cloud", metavar="CLOUD", callback=_known_cloud, help=f"Only this cloud: {', '.join(CLOUDS)}."),
]
RegionOption = Annotated[
    str | None, typer.Option("--region", metavar="REGION", help="The cloud's region name, e.g. us-east-1.")
]
CountOption = Annotated[int | None, typer.Option("--count", metavar="N", min=1, help="GPUs per instance.")]
SORT_KEYS = ("shape", "price", "gpu-price", "spot", "region")
SortOption = Annotated[
    str,
    typer.Option("--sort", metavar="KEY", help=f"Order rows by {', '.join(SORT_KEYS)} (unpriced rows last)."),
]
CheapestOption = Annotated[
    bool, typer.Option("--cheapest", help="Only the cheapest offering per cloud, by on-demand price per GPU-hour.")
]


def command(
    ctx: typer.Context,
    accelerator: AcceleratorOption = None,
    cloud: CloudOption = None,
    region: RegionOption = None,
    count: CountOption = None,
    sort: SortOption = "shape",
    cheapest: CheapestOption = False,
    json_output: JsonOption = False,
    catalog_path: CatalogOption = None,
) -> None:
    """List GPU offerings: shapes, memory, on-demand and spot prices.

    An unknown accelerator or region exits 1 naming the known ones.

    --json prints {"catalog": {"as_of" (null: unknown), "age_days", "source", "age_note",
    "sources": [{"cloud", "source", "commit"}]},
    "filters": {"accelerator", "cloud", "region", "count"},
    "offerings": [{"cloud", "region", "instance_type", "shape",
    "accelerator", "accelerator_count", "accelerator_memory_gib",
    "vcpus", "memory_gib", "on_demand_hourly" (null: not priced),
    "spot_hourly" (or null), "gpu_hourly" (or null), "caveat", "source"}]}.
    Sort keys: shape (default), price, gpu-price, spot, region.
    """
    options = settings(ctx, json_output, catalog_path)
    if sort not in SORT_KEYS:
        raise CatalogError(f"--sort must be one of {', '.join(SORT_KEYS)}; got {sort!r}")
    catalog = load_catalog_for(options)
    canonical = canonical_accelerator(catalog, accelerator)
    check_region(catalog, cloud, region)
    offerings = sort_offerings(catalog.select(cloud=cloud, region=region, accelerator=canonical, count=count), sort)
    if cheapest:
        offerings = cheapest_per_cloud(offerings)
    if options.json:
        filters = {"accelerator": canonical, "cloud": cloud, "region": region, "count": count}
        rows = [offering_dict(o) for o in offerings]
        emit_json({"catalog": catalog_info(catalog), "filters": filters, "offerings": rows})
        return
    from aimodel_infra.cli.render import catalog_report, print_all

    print_all(catalog_report(offerings, catalog))


def canonical_accelerator(catalog: Catalog, name: str | None) -> str | None:
    """The catalog's spelling of what the user typed; an unknown name is an error listing the known ones."""
    if name is None:
        return None
    canonical = catalog.canonical_accelerator(name)
    if canonical is None:
        close = catalog.suggest_accelerators(name)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        raise CatalogError(f"unknown accelerator {name!r}; {hint}known: {', '.join(catalog.accelerator_names())}")
    return canonical


def check_region(catalog: Catalog, cloud: str | None, region: str | None) -> None:
    """A region no cloud knows is a typo, not an empty result: say which regions exist."""
    if region is None:
        return
    clouds = [cloud] if cloud else sorted({o.cloud for o in catalog.offerings})
    known = sorted({r for c in clouds for r in catalog.regions(c)})
    if region not in known:
        where = cloud or "any cloud"
        raise CatalogError(f"unknown region {region!r} on {where}; known: {', '.join(known)}")


def sort_offerings(offerings: list[Offering], key: str) -> list[Offering]:
    """Rows in the asked order; unpriced rows (no price to compare) always last, ties by cloud and region."""
    if key == "shape":
        return offerings
    unpriced = [o for o in offerings if not o.priced]
    priced = [o for o in offerings if o.priced]
    if key == "region":
        return sorted(offerings, key=lambda o: (o.cloud, o.region, o.accelerator or "", o.accelerator_count))
    if key == "spot":
        priced.sort(key=lambda o: (o.spot_price_per_hour is None, o.spot_price_per_hour or 0.0, o.cloud, o.region))
    elif key == "gpu-price":
        priced.sort(key=lambda o: (o.price_per_gpu_hour is None, o.price_per_gpu_hour or 0.0, o.cloud, o.region))
    else:
        priced.sort(key=lambda o: (o.price_per_hour, o.cloud, o.region))
    return priced + unpriced


def cheapest_per_cloud(offerings: list[Offering]) -> list[Offering]:
    """Per cloud, the priced row with the lowest on-demand price per GPU-hour (per hour for CPU rows)."""
    best: dict[str, Offering] = {}
    for o in offerings:
        if not o.priced:
            continue
        unit = o.price_per_gpu_hour if o.price_per_gpu_hour is not None else o.price_per_hour
        current = best.get(o.cloud)
        current_unit = None if current is None else (current.price_per_gpu_hour or current.price_per_hour)
        if current_unit is None or unit < current_unit:
            best[o.cloud] = o
    return sorted(best.values(), key=lambda o: (o.price_per_gpu_hour or o.price_per_hour, o.cloud))


def offering_dict(offering: Offering) -> dict[str, Any]:
    return {
        "cloud": offering.cloud,
        "region": offering.region,
        "instance_type": offering.instance_type,
        "shape": offering.shape,
        "accelerator": offering.accelerator,
        "accelerator_count": offering.accelerator_count,
        "accelerator_memory_gib": offering.accelerator_memory_gib,
        "vcpus": offering.vcpus,
        "memory_gib": offering.memory_gib,
        "on_demand_hourly": offering.price_per_hour if offering.priced else None,
        "spot_hourly": offering.spot_price_per_hour,
        "gpu_hourly": offering.price_per_gpu_hour,
        "caveat": offering.caveat,
        "source": offering.source,
    }
