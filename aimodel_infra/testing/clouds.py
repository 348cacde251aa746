"""Registry stand-ins for tests: a cloud as it looks before its builder exists.

def test_x(monkeypatch):
    without_builder(monkeypatch, Cloud.GCP)   # validate/cost still work; preview says "no builder yet"
"""

from __future__ import annotations

from typing import Any

from aimodel_infra import registry
from aimodel_infra.spec.models import Cloud


def without_builder(monkeypatch: Any, cloud: Cloud) -> None:
    """Make ``cloud`` a cloud with rules and prices but no builder, for this test only."""
    real = registry.support

    def support(asked: Cloud) -> Any:
        found = real(asked)
        return found._replace(environment=None) if asked is cloud else found

    monkeypatch.setattr(registry, "support", support)
