"""Disclosure control on hand-worked tables (DESIGN.md section 7).

Each expected grid is written out by hand, with the working in a comment. In
the grids a number is a published figure, ``S`` a small count suppressed
(1 to the threshold) and ``X`` a cell suppressed so a small one cannot be
worked out from the totals.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from reports.disclosure import DEFAULT_THRESHOLD, publish_section, publish_table, threshold
from reports.published import PublishedTable, from_dict, to_dict
from reports.tables import Estimate, Row, Section, Table

S = "S"
X = "X"
W = "W"


def table(
    rows: list[tuple[str, tuple[int, ...]] | tuple[str, tuple[int, ...], bool]],
    *,
    columns: tuple[str, ...] = ("Jan to Mar 2027",),
    column_totals: bool = True,
    row_totals: bool = False,
    percentages: bool = False,
) -> Table:
    return Table(
        key="need.referrals_by_agency",
        title="Referrals by agency",
        row_heading="Referring agency",
        columns=columns,
        rows=tuple(Row(row[0], row[1], *row[2:]) for row in rows),
        column_totals=column_totals,
        row_totals=row_totals,
        percentages=percentages,
    )


def grid(published: PublishedTable) -> list[list[int | str]]:
    marks = {"small": S, "secondary": X, "withheld": W}
    return [
        [marks[cell.suppressed] if cell.suppressed else cell.value for cell in row.cells]
        for row in published.rows
    ]


def percents(published: PublishedTable) -> list[list[float | None]]:
    return [[cell.percent for cell in row.cells] for row in published.rows]


def test_small_counts_are_suppressed_and_the_rest_rounded_to_the_nearest_5() -> None:
    # No totals, so nothing can be subtracted and no secondary suppression:
    # 0 stays 0; 7 and 1 are small; 8 -> 10, 12 -> 10, 13 -> 15, 60 -> 60.
    published = publish_table(
        table(
            [(f"row {count}", (count,)) for count in (0, 7, 8, 12, 13, 1, 60)],
            column_totals=False,
        )
    )
    assert grid(published) == [[0], [S], [10], [10], [15], [S], [60]]
    assert published.rows[1].cells[0].display == "*"
    assert published.rows[1].cells[0].value is None


def test_totals_come_from_the_raw_counts_then_are_rounded() -> None:
    # 8 + 8 + 8 = 24 -> 25 (adding the rounded 10s would say 30).
    published = publish_table(table([("a", (8,)), ("b", (8,)), ("c", (8,))]))
    assert grid(published) == [[10], [10], [10], [25]]
    assert published.rows[-1].label == "Total"
    assert published.rows[-1].is_total


def test_a_small_total_is_suppressed_and_a_zero_protects_nothing() -> None:
    # 3 + 0 = 3: the total is small too, so the column already has two hidden
    # cells; the 0 is exact and gives nothing away, so it stays shown.
    published = publish_table(table([("a", (3,)), ("b", (0,))]))
    assert grid(published) == [[S], [0], [S]]


def test_secondary_suppression_in_a_column() -> None:
    # 3 + 20 + 13 + 0 = 36 -> 35. With only the 3 hidden, 35 - 20 - 15 - 0
    # would give it back (to within the rounding), so the smallest shown
    # non-zero cell, 13 (published 15), is hidden too; the 0 is not chosen.
    published = publish_table(table([("a", (3,)), ("b", (20,)), ("c", (13,)), ("d", (0,))]))
    assert grid(published) == [[S], [20], [X], [0], [35]]
    assert published.rows[2].cells[0].suppressed == "secondary"


def test_secondary_suppression_in_a_row_with_row_totals() -> None:
    # Columns are parts of one whole and there is no Total row: the row is
    # the only line. 3 + 20 + 13 = 36 -> 35; the 13 (15) goes with the 3.
    published = publish_table(
        table(
            [("Police", (3, 20, 13))],
            columns=("Urgent", "Routine", "Not known"),
            column_totals=False,
            row_totals=True,
        )
    )
    assert published.columns == ("Urgent", "Routine", "Not known", "Total")
    assert grid(published) == [[S, 20, X, 35]]


def test_two_hidden_cells_are_not_enough_when_the_marks_give_one_away() -> None:
    # 1 + 8 + 38 = 47 -> 45. The line rule hides the 8 with the 1, but then
    # the hidden pair adds up to 45 - 40 = 1 to 9 (each of 45 and 40 is
    # within 2), and a "secondary" cell is above 7, so the small one is 1
    # exactly. The audit hides the next smallest shown cell, the 38 (40):
    # the three hidden cells then add up to 43 to 47 and the small one could
    # be anything from 1 to 7.
    published = publish_table(
        table(
            [("Police", (1, 8, 38))],
            columns=("Urgent", "Routine", "Not known"),
            column_totals=False,
            row_totals=True,
        )
    )
    assert grid(published) == [[S, X, X, 45]]


def test_a_cross_tab_where_one_secondary_suppression_triggers_others() -> None:
    # Raw, with totals:        A    B   Total
    #   a                      3   20    23
    #   b                      9    0     9
    #   Total                 12   20    32
    # Column A: the 3 alone is hidden; b.A (9 -> 10) is a part, the total
    #   (12 -> 10) is never hidden to protect one: b.A is hidden (X).
    # Row a: the 3 alone; a.B (20) is smaller than a.Total (25): a.B hidden.
    # Row b: b.A alone now; b.B is 0, so the only other non-zero cell is the
    #   row total (9 -> 10), which would equal it: b.Total hidden.
    # Column B has a.B alone, but b.B is 0: a.B is its total, 20 (18 to 22),
    # which says nothing of the 3. Column Total: a.Total before the grand 30.
    # The Total row stays: other tables of the report publish the same
    # totals, so hiding them here would protect nothing. The 3 is still only
    # known to be 1 to 4 (10 less b.A, which is over 7).
    published = publish_table(
        table(
            [("a", (3, 20)), ("b", (9, 0))],
            columns=("A", "B"),
            row_totals=True,
        )
    )
    assert grid(published) == [
        [S, X, X],
        [X, 0, X],
        [10, 20, 30],
    ]


def test_a_two_by_two_block_is_enough_when_the_lines_cross() -> None:
    # Raw:        A   B   C   Total
    #   a         3   9  20    32 -> 30
    #   b         9  20  30    59 -> 60
    #   c        40  30   9    79 -> 80
    #   Total    52  59  59   170
    # Column A: the 3 alone, b.A (9 -> 10) is the smallest: hidden.
    # Row a: the 3 alone, a.B (9 -> 10) hidden. Row b: b.A alone, b.B (20).
    # Every line now has 0 or 2 hidden cells; c.C (9) is shown: nothing small
    # shares a line with it.
    published = publish_table(
        table(
            [("a", (3, 9, 20)), ("b", (9, 20, 30)), ("c", (40, 30, 9))],
            columns=("A", "B", "C"),
            row_totals=True,
        )
    )
    assert grid(published) == [
        [S, X, 20, 30],
        [X, X, 30, 60],
        [40, 30, 10, 80],
        [50, 60, 60, 170],
    ]


def test_a_row_outside_the_breakdown_is_shown_controlled_and_not_summed() -> None:
    # Total: 20 + 13 = 33 -> 35 (the "of which" 3 is not added). The 3 is
    # small; it is in no line (no Total column), so nothing else is hidden.
    published = publish_table(
        table([("Girls", (20,)), ("Boys", (13,)), ("of which: under 12", (3,), False)])
    )
    assert grid(published) == [[20], [15], [S], [35]]
    assert [row.in_total for row in published.rows] == [True, True, False, True]


def test_a_row_outside_the_breakdown_is_its_own_line_with_row_totals() -> None:
    # The "of which" row: 3 + 20 = 23 -> 25, so its 20 is hidden with the 3;
    # the columns (20 + 13 = 33, 30 + 10 = 40) do not include it.
    published = publish_table(
        table(
            [("Girls", (20, 30)), ("Boys", (13, 10)), ("of which: under 12", (3, 20), False)],
            columns=("Urgent", "Routine"),
            row_totals=True,
        )
    )
    assert grid(published) == [
        [20, 30, 50],
        [15, 10, 25],
        [S, X, 25],
        [35, 40, 75],
    ]


def test_percentages_are_of_the_published_total_from_rounded_figures() -> None:
    # 8, 8, 13 -> 10, 10, 15; total 29 -> 30. 10/30 = 33.3%, 15/30 = 50.0%
    # (from the raw counts it would have been 27.6% and 44.8%). The Total row
    # carries no percentage of itself.
    published = publish_table(table([("a", (8,)), ("b", (8,)), ("c", (13,))], percentages=True))
    assert grid(published) == [[10], [10], [15], [30]]
    assert percents(published) == [[33.3], [33.3], [50.0], [None]]


def test_percentages_of_a_row_are_of_its_published_total_column() -> None:
    # Recorded / not known, with the row's Total: ethnicity 38 / 12 (40 / 10,
    # total 50): 80.0% and 20.0% of 50. Disability 44 / 6: the 6 is hidden, so
    # is the 44 (secondary) and the row gets no shares; its total 50 is shown
    # and is the whole, with no share of itself.
    published = publish_table(
        replace(
            table(
                [("Ethnicity", (38, 12)), ("Disability", (44, 6))],
                columns=("Recorded", "Not known"),
                column_totals=False,
                row_totals=True,
                percentages=True,
            ),
            percent_of="row",
        )
    )
    assert grid(published) == [[40, 10, 50], [X, S, 50]]
    assert percents(published) == [[80.0, 20.0, None], [None, None, None]]


def test_percentages_are_none_for_hidden_cells_and_hidden_or_zero_totals() -> None:
    # Column A: 3 (S), 20, 13 (X), total 36 -> 35: shares of 35 for the 20 only.
    # Column B: all zero, so no whole to take a share of.
    # Column C: 2 + 3 = 5, a hidden total: no shares at all.
    published = publish_table(
        table(
            [("a", (3, 0, 2)), ("b", (20, 0, 3)), ("c", (13, 0, 0))],
            columns=("A", "B", "C"),
            percentages=True,
        )
    )
    assert grid(published) == [[S, 0, S], [20, 0, S], [X, 0, 0], [35, 0, S]]
    assert percents(published) == [
        [None, None, None],
        [57.1, None, None],
        [None, None, None],
        [None, None, None],
    ]


def test_without_a_total_row_percentages_are_of_the_sum_of_published_cells() -> None:
    # Column A: 8 + 13 -> 10 + 15 = 25: 40.0% and 60.0%.
    # Column B: 3 is hidden, so the sum would be incomplete: no percentages.
    published = publish_table(
        table(
            [("a", (8, 3)), ("b", (13, 20))],
            columns=("A", "B"),
            column_totals=False,
            percentages=True,
        )
    )
    assert grid(published) == [[10, S], [15, 20]]
    assert percents(published) == [[40.0, None], [60.0, None]]


def test_a_table_without_percentages_shows_none() -> None:
    published = publish_table(table([("a", (20,))]))
    assert percents(published) == [[None], [None]]


@override_settings(REPORTS_SUPPRESSION_THRESHOLD=10)
def test_a_higher_threshold_from_the_settings_suppresses_more() -> None:
    # 8 and 10 are now small; 11 -> 10 is shown; no totals, no lines.
    assert threshold() == 10
    published = publish_table(
        table([("a", (8,)), ("b", (10,)), ("c", (11,)), ("d", (0,))], column_totals=False)
    )
    assert grid(published) == [[S], [S], [10], [0]]


def test_the_default_threshold_is_seven_with_no_setting() -> None:
    assert DEFAULT_THRESHOLD == 7
    assert threshold() == 7
    published = publish_table(table([("a", (7,)), ("b", (8,))], column_totals=False))
    assert grid(published) == [[S], [10]]


@pytest.mark.parametrize("value", [5, 0, -1, "10", 7.5, True])
def test_a_threshold_below_the_default_or_not_a_whole_number_is_refused(value: object) -> None:
    with (
        override_settings(REPORTS_SUPPRESSION_THRESHOLD=value),
        pytest.raises(ImproperlyConfigured, match="REPORTS_SUPPRESSION_THRESHOLD"),
    ):
        publish_table(table([("a", (20,))]))


def test_an_explicit_threshold_below_the_default_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 7"):
        publish_table(table([("a", (20,))]), threshold=5)


def section(supported: int) -> Section:
    return Section(
        key="cost",
        title="Cost and value",
        summary="What specialist support costs and what the research says it returns.",
        tables=(
            table(
                [("Supported by the specialist service", (supported, 40)), ("Other", (30, 30))],
                columns=("Jan to Mar 2027", "Oct to Dec 2026"),
            ),
        ),
        estimates=(
            Estimate(
                title="Estimated return on specialist support",
                table_key="need.referrals_by_agency",
                row_label="Supported by the specialist service",
                cost_per_young_person=3000,
                return_low=6,
                return_high=12,
                source="Research cited in DESIGN.md section 7",
                assumptions=("An estimate, not a measurement",),
            ),
        ),
    )


def test_an_estimate_is_made_from_the_published_count() -> None:
    # 23 -> 25 young people: 25 x £3,000 x 6 = £450,000; x 12 = £900,000.
    (estimate,) = publish_section(section(23)).estimates
    assert estimate.count == 25
    assert estimate.saving_low == 450_000
    assert estimate.saving_high == 900_000
    assert estimate.assumptions == ("An estimate, not a measurement",)


def test_an_estimate_from_a_suppressed_count_is_not_given() -> None:
    published = publish_section(section(5))
    assert grid(published.tables[0])[0][0] == S
    (estimate,) = published.estimates
    assert estimate.count is None
    assert estimate.saving_low is None
    assert estimate.saving_high is None


def test_an_estimate_naming_a_missing_row_fails_loudly() -> None:
    whole = section(23)
    broken = replace(whole, estimates=(replace(whole.estimates[0], row_label="No such row"),))
    with pytest.raises(ValueError, match="No such row"):
        publish_section(broken)


def test_a_published_section_survives_being_stored_as_json() -> None:
    # Report runs store to_dict(...) as JSON; the outputs render from_dict(...).
    published = publish_section(section(23))
    assert from_dict(json.loads(json.dumps(to_dict(published)))) == published


def test_a_total_is_never_hidden_to_protect_a_part_so_the_parts_are_withheld() -> None:
    # Threshold 10: 1 and 11, total 12 published as 10, so 11 to 12. A
    # "secondary" 11 would say "over 10" and leave the 1 exactly; the total
    # may not go (other tables publish it), so both parts are withheld: each
    # known only to be above 0.
    published = publish_table(table([("a", (1,)), ("b", (11,))]), threshold=10)
    assert grid(published) == [[W], [W], [10]]


def test_the_totals_are_made_safe_by_themselves_first() -> None:
    # Four 7s under a grand total of 28, published as 30 (28 to 32): four
    # counts of at most 7 that add up to at least 28 are 7 each. The grand
    # total is hidden within the Total row, from the totals alone, so every
    # table with these totals hides the same cells.
    published = publish_table(
        table(
            [("a", (7, 7, 7, 7)), ("b", (20, 30, 40, 50))],
            columns=("A", "B", "C", "D"),
            row_totals=True,
        )
    )
    assert grid(published)[-1] == [25, 35, 45, 55, 170]
    alone = publish_table(
        table([("a", (7, 7, 7, 7))], columns=("A", "B", "C", "D"), row_totals=True)
    )
    assert grid(alone)[-1] == [S, S, S, S, X]
