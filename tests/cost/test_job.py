"""A job priced as a job, and what fits a budget: arithmetic on the estimate, checked by hand."""

from __future__ import annotations

import pytest

from aimodel_infra.catalog import HOURS_PER_MONTH
from aimodel_infra.cost import estimate
from aimodel_infra.cost.job import JobError, budget_fit, job_cost
from aimodel_infra.spec import load_spec


@pytest.fixture(scope="module")
def aws_dev():
    return estimate(load_spec("aws-dev"))


def test_a_two_week_job_at_max_nodes_is_the_hourly_rate_times_its_hours(aws_dev) -> None:
    job = job_cost(aws_dev, 14 * 24, "max")

    train = next(line for line in job.compute if line.name == "train")
    assert (train.nodes, train.gpus) == (2, 16)
    # p5.48xlarge spot in us-east-1 (bundled catalog), each node with its 500 GB gp3 root disk ($0.08/GB-month)
    assert train.hourly == pytest.approx(2 * (30.326 + 500 * 0.08 / 730))
    fixed = (
        sum(f.monthly for f in aws_dev.fees)
        + next(c for c in aws_dev.compute if c.kind == "system_pool").desired.monthly
    )
    assert job.fixed_hourly == pytest.approx(fixed / HOURS_PER_MONTH)
    assert job.cost == pytest.approx(job.hourly * 336)
    assert job.gpu_hours == (16 + 4 + 4) * 336
    assert job.cost_per_gpu_hour == pytest.approx(job.cost / job.gpu_hours)
    assert job.budget_hours == pytest.approx(200_000 / job.hourly)
    assert job.within_budget is True


def test_at_the_worst_case_the_fallback_group_runs_too(aws_dev) -> None:
    job = job_cost(aws_dev, 1, "worst")

    train = next(line for line in job.compute if line.name == "train")
    assert (train.nodes, train.gpus) == (4, 32), "2 spot + 2 on-demand fallback nodes of 8 x H100"
    assert train.hourly == pytest.approx(2 * 30.326 + 2 * 98.32 + 4 * 500 * 0.08 / 730)  # 4 root disks of 500 GB


@pytest.mark.parametrize(("hours", "at"), [(0, "max"), (-3, "max"), (float("nan"), "max"), (5, "most")])
def test_a_duration_or_size_that_cannot_be_priced_is_an_error(aws_dev, hours: float, at: str) -> None:
    with pytest.raises(JobError):
        job_cost(aws_dev, hours, at)


def test_within_budget_nothing_needs_fitting(aws_dev) -> None:
    assert budget_fit(aws_dev) is None
    assert budget_fit(aws_dev._replace(budget_monthly=None)) is None


def test_over_budget_says_the_largest_max_nodes_that_fits_and_the_hours(aws_dev) -> None:
    train = next(c for c in aws_dev.compute if c.name == "train")
    budget = aws_dev.worst_case_monthly - train.worst_case_monthly / 2 + 1  # one train node too many
    over = aws_dev._replace(budget_monthly=budget, over_budget=True)

    fit = budget_fit(over)

    assert fit is not None and fit.over_by == pytest.approx(aws_dev.worst_case_monthly - budget)
    by_name = {pool.name: pool for pool in fit.max_nodes}
    assert (by_name["train"].max_nodes, by_name["train"].fits_max_nodes) == (2, 1)
    assert by_name["train"].worst_case_monthly <= budget
    assert by_name["infer"].fits_max_nodes is None, "no infer size alone closes a gap of half a p5 pair"
    assert fit.hours_at_worst_case == pytest.approx(budget / (aws_dev.worst_case_monthly / HOURS_PER_MONTH))
