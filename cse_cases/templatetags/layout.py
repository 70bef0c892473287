"""Layout helpers for Harbour's templates.

``{% table_region "Referrals awaiting a decision" %}<table>…</table>{% endtable_region %}``
puts a table in a region that scrolls sideways by itself when the table is
wider than the screen, so the page never does (a phone is 375 px wide). The
region takes keyboard focus, so someone without a mouse or touch screen can
scroll it with the arrow keys, and is named so a screen reader says what it is
(the pattern GOV.UK services use for wide tables). Name it as the table's
caption reads.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html, format_html_join

register = template.Library()


class TableRegionNode(template.Node):
    def __init__(self, label: FilterExpression, nodelist: NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return format_html(
            '<div class="harbour-table-region" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def table_region(parser: Parser, token: Token) -> TableRegionNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one argument: the region's name, as the table's caption reads"
        )
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag
def table_head(*columns: str, action: str = "") -> str:
    """``{% table_head "When" "Who" action="Review" %}``: a GOV.UK table's head row.

    One plain header a column, in order. ``action`` names a last column of links
    for screen readers only: sighted readers see the links, so a visible header
    would only repeat them. Tables with numeric or computed headers write their
    head out in full.
    """
    headers = format_html_join(
        "\n", '<th scope="col" class="govuk-table__header">{}</th>', ((c,) for c in columns)
    )
    if action:
        headers += format_html(
            '\n<th scope="col" class="govuk-table__header">'
            '<span class="govuk-visually-hidden">{}</span></th>',
            action,
        )
    return format_html(
        '<thead class="govuk-table__head">\n<tr class="govuk-table__row">\n{}\n</tr>\n</thead>',
        headers,
    )
