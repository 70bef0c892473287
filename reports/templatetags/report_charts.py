from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from reports import charts
from reports.published import PublishedTable

register = template.Library()


@register.simple_tag
def report_chart(table: PublishedTable, pdf: bool = False) -> SafeString:
    return charts.chart(table, pdf=pdf)


@register.simple_tag
def network_force_layout_nodes() -> int:
    """The most nodes the map's drawing lays out by force (map.js reads it)."""
    return int(settings.NETWORK_FORCE_LAYOUT_NODES)
