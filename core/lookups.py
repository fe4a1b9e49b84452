"""``in`` over an integer column leaves out the numbers the column cannot hold.

Django's own ``exact``, ``gt``, ``lt``… lookups on integer fields already do (an out-of-range
number matches nothing: ``IntegerFieldOverflow``); ``in`` does not. With PostgreSQL binding the
parameters itself (``DB_PREPARED_STATEMENTS``), each number is sent typed as its column
(``smallint``, ``integer``, ``bigint``) and one that does not fit raises ``OverflowError`` in the
driver: a server error for ``?round=99999999999999999999``. Such a number can never match, so
it is left out, and a list of nothing but such numbers matches nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    lookup_name = "in"

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
