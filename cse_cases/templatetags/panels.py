"""`{% render_panel shown %}`: a registered record-page panel or home-page
widget (cse_cases/panels.py, cse_cases/home_widgets.py), rendered like an
`{% include %}` whose extra context is the panel's own dictionary (an include
takes only named values)."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from cse_cases.panels import Shown

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: Context, shown: Shown) -> SafeString:
    panel_template = context.template.engine.get_template(shown.template)
    with context.push(shown.context):
        return panel_template.render(context)
