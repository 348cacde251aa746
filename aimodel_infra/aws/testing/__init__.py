"""AWS test support: mock answers (state builders, invokes, auto-naming) and the moto backend.

`MOCK_TABLES` is what :class:`aimodel_infra.testing.DefaultMocks` uses for ``aws:`` resources;
:mod:`aimodel_infra.aws.testing.moto` replays a recorded program against moto. Neither imports
``pulumi_aws``.
"""
