"""Planning every cloud shares, as pure functions over the spec and the catalog (SDK-free).

A cloud's builder turns these plans into its own resources; its ``billable`` turns the same
plans into what cost prices, so the estimate can never describe another topology than the one
built. Cloud-specific planning (subnet layouts, node-template tags) stays in the cloud's package.
"""
