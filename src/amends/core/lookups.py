"""`field__any=[...]`: membership in a long list as one bound value, not one placeholder per item.

Django's `__in` writes `IN (%s, %s, …)` and resolves every item as a possible expression: for the thousands of
claim numbers an event batch names, that costs more in Python than the query costs in the database. `__any`
sends the list as one array (PostgreSQL: `= ANY(%s)`, which its indexes serve like `IN`) or one JSON text
(SQLite: `IN (SELECT value FROM json_each(%s))`). Items are plain values (text, numbers), prepared by the field.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Field, ForeignObject, Lookup


@ForeignObject.register_lookup
@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        prep = self.lhs.output_field.get_prep_value
        values = [prep(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(values, ensure_ascii=False)]
