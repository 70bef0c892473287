"""Home-page widgets: what a feature shows on the home page of some roles.

The home page knows no feature. A feature with something to put there (work
waiting, counts) registers a widget from its AppConfig.ready():

    home_widgets.register(Widget("referrals", "referrals/_home.html", counts, RECORD_ROLES))

Each role's home page renders the widgets for its role, in order, at the top of
its first column (home/_widgets.html). A widget's context function runs only for
the roles that see it, before the page renders, reads through the access policy
and audits what it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cse_cases.panels import Shown

if TYPE_CHECKING:
    from cse_cases.models import User


@dataclass(frozen=True)
class Widget:
    key: str
    template: str
    # the reader -> what the template needs
    context: Callable[[User], dict[str, Any]]
    # The roles whose home page shows it (Role values).
    roles: Collection[str]
    # Lower first; a tie goes by key, so the page never depends on app order.
    order: int = 100


_widgets: dict[str, Widget] = {}


def register(widget: Widget) -> Widget:
    """A feature adds its widget here, from its AppConfig.ready()."""
    _widgets[widget.key] = widget
    return widget


def widgets() -> list[Widget]:
    return sorted(_widgets.values(), key=lambda widget: (widget.order, widget.key))


def for_home(user: User) -> list[Shown]:
    """The widgets this person's home page shows, with their contexts."""
    return [
        Shown(widget.key, widget.template, widget.context(user))
        for widget in widgets()
        if user.role in widget.roles
    ]
