"""moto as the AWS side of an offline run: see :class:`~aimodel_infra.aws.testing.moto.backend.MotoBackend`.

Needs the ``moto`` and ``boto3`` packages (``pip install 'aimodel-infra[moto]'``).
"""

from .backend import Apply, MotoApplyError, MotoBackend, RejectedInputError, Translator, drop_none, policy_json

__all__ = ["Apply", "MotoApplyError", "MotoBackend", "RejectedInputError", "Translator", "drop_none", "policy_json"]
