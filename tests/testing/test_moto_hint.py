"""MotoBackend with only the ``aws`` extra: an error that says which extra to install, not a bare
``ModuleNotFoundError: No module named 'moto'`` in the middle of a run."""

from __future__ import annotations

import sys

import pytest

from aimodel_infra.testing import MotoBackend


@pytest.mark.parametrize("missing", ["moto", "boto3"])
def test_without_the_moto_extra_the_backend_names_the_extra_to_install(
    missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # what an environment without it imports
    from aimodel_infra.aws.testing.moto import backend

    with pytest.raises(ModuleNotFoundError) as raised:
        if missing == "moto":
            MotoBackend().start()
        else:
            backend._client("s3", "us-east-1")

    assert "pip install 'aimodel-infra[moto]'" in str(raised.value)
    assert raised.value.name == missing
