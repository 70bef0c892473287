"""Whole numbers from request input (ids, versions, page numbers).

``int()`` on what a browser or partner sends is a server error waiting to
happen: ``int("abc")`` raises, and so does ``int("²")`` although ``"²".isdigit()``
is true. Views read numbers through these helpers instead, so bad input is a
message or a 404, never a 500.
"""

from __future__ import annotations

import re

from django.http import Http404

# ASCII digits only, and few enough to fit a PostgreSQL bigint.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(value: object, default: int | None = None) -> int | None:
    """The number ``value`` spells in ASCII digits, or ``default``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < 10**18 else default
    if not isinstance(value, str):
        return default
    value = value.strip()
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else default


def id_or_404(value: object) -> int:
    """An id from input; anything that is not one is "not found", like a missing record."""
    number = whole_number(value)
    if number is None:
        raise Http404
    return number
