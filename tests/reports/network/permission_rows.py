"""The network map's rows of the permission matrix
(tests/cse_cases/test_permission_matrix.py takes them in).

Everyone who works with records has a map of their own districts, holding
only what they may see (cse_cases/access/network.py); commissioners,
administrators and information governance are told it does not exist.
What each reader's map holds is tested in tests/reports/network/test_map.py."""

from __future__ import annotations

from tests.cse_cases.permission_story import RECORD_ROLES, ok_for

NETWORK_ROWS: dict[str, tuple] = {
    "network": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
    "network-api-list": ("get", lambda s: {}, ok_for(RECORD_ROLES)),
}
