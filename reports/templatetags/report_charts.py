from django import template
from django.utils.safestring import SafeString

from reports import charts
from reports.published import PublishedTable

register = template.Library()


@register.simple_tag
def report_chart(table: PublishedTable, pdf: bool = False) -> SafeString:
    return charts.chart(table, pdf=pdf)
