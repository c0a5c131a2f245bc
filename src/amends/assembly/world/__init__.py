"""One world builder for tests, the demo, the simulator and the benchmarks: typed specs of org units, staff,
customers and policies (`specs`), written through the ORM for small worlds (`orm`) or by COPY/executemany for
large ones (`bulk`). Customer and policy specs name their model's columns, so both writers read one mapping
and a new column is learnt here once. Reference data only: no business rule, no audit row.
"""

from .names import GIVEN, SURNAMES, drawn_name, numbered_name, numbered_phone
from .orm import customers, policies, staff, units
from .specs import CustomerSpec, PolicySpec, StaffSpec, UnitSpec, tree

__all__ = [
    "GIVEN",
    "SURNAMES",
    "CustomerSpec",
    "PolicySpec",
    "StaffSpec",
    "UnitSpec",
    "customers",
    "drawn_name",
    "numbered_name",
    "numbered_phone",
    "policies",
    "staff",
    "tree",
    "units",
]
