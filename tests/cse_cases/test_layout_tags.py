"""Wide tables scroll in their own region, never the page (issue 15, item 9).

tests/browser/test_narrow_screens.py proves it in Chromium on every page each
role opens; this file holds the rule for the tables that data did not reach
(a table shown only when sign-ins fail, say).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TAG = re.compile(r"{%\s*(table_region|endtable_region)\b|<table\b")


def test_the_region_is_named_and_takes_keyboard_focus() -> None:
    html = Template(
        '{% load layout %}{% table_region "Your flags" %}<table></table>{% endtable_region %}'
    ).render(Context())
    assert html == (
        '<div class="harbour-table-region" role="region" aria-label="Your flags" '
        'tabindex="0"><table></table></div>'
    )


def test_a_name_from_the_data_is_escaped() -> None:
    html = Template(
        "{% load layout %}{% table_region caption %}<table></table>{% endtable_region %}"
    ).render(Context({"caption": 'Tokens "A" & <B>'}))
    assert 'aria-label="Tokens &quot;A&quot; &amp; &lt;B&gt;"' in html


def test_a_region_without_a_name_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="the region's name"):
        Template("{% load layout %}{% table_region %}<table></table>{% endtable_region %}")


def test_every_table_on_screen_is_in_a_region() -> None:
    bare: Counter[str] = Counter()
    # Printed pages (WeasyPrint) have no screen to scroll.
    for path in sorted(p for p in TEMPLATES.rglob("*.html") if not p.name.endswith("_pdf.html")):
        depth = 0
        for match in TAG.finditer(path.read_text()):
            if match.group(1) == "table_region":
                depth += 1
            elif match.group(1) == "endtable_region":
                depth -= 1
            elif depth == 0:
                bare[str(path.relative_to(TEMPLATES))] += 1
    assert not bare, f"Tables outside {{% table_region %}}, wrap each one: {bare}"


def test_a_table_head_has_one_header_a_column_and_an_unseen_action_column() -> None:
    html = Template('{% load layout %}{% table_head "When" "Who" action="Review" %}').render(
        Context()
    )
    assert html == (
        '<thead class="govuk-table__head">\n<tr class="govuk-table__row">\n'
        '<th scope="col" class="govuk-table__header">When</th>\n'
        '<th scope="col" class="govuk-table__header">Who</th>\n'
        '<th scope="col" class="govuk-table__header">'
        '<span class="govuk-visually-hidden">Review</span></th>\n</tr>\n</thead>'
    )


def test_a_header_from_the_data_is_escaped() -> None:
    html = Template("{% load layout %}{% table_head name %}").render(
        Context({"name": "<b>Name</b>"})
    )
    assert "&lt;b&gt;Name&lt;/b&gt;" in html
