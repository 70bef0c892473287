"""The tidy CSV: one line per published cell, nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest

from reports import csv as report_csv
from reports.disclosure import publish_section, publish_table
from reports.tables import Estimate, Row, Section, Table


def raw_table(**changes: object) -> Table:
    fields: dict = {
        "key": "need.referrals_by_agency",
        "title": "Referrals by agency",
        "row_heading": "Referring agency",
        "columns": ("Jan to Mar 2027", "Oct to Dec 2026"),
        "rows": (Row("Police", (3, 20)), Row("School", (20, 13)), Row("Health", (13, 0))),
        "percentages": True,
    }
    return Table(**{**fields, **changes})


def section(table: Table) -> Section:
    return Section(
        key="need",
        title="Need",
        summary="Who is referred, and by whom.",
        tables=(table,),
        estimates=(
            Estimate(
                title="=Estimated return",
                table_key=table.key,
                row_label=table.rows[1].label,
                cost_per_young_person=3000,
                return_low=6,
                return_high=12,
                source="Research cited in DESIGN.md section 7, £6 to £12 for every £1",
                assumptions=("An estimate, not a measurement", "-unit cost as configured"),
            ),
        ),
    )


def read(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_one_line_per_published_cell_and_hidden_cells_have_no_value() -> None:
    # Column 1: 3 (small), 20, 13 (secondary), Total 36 -> 35.
    # Column 2: 20, 13 -> 15, 0, Total 33 -> 35.
    published = publish_section(section(raw_table()))
    lines = read(b"".join(report_csv.stream(report_csv.rows(published))))
    assert lines[0] == list(report_csv.HEADER)
    assert len(lines) == 1 + 4 * 2
    assert lines[1] == [
        "need",
        "need.referrals_by_agency",
        "Police",
        "Jan to Mar 2027",
        "",
        "small",
        "",
        "young people",
    ]
    assert lines[2] == [
        "need",
        "need.referrals_by_agency",
        "Police",
        "Oct to Dec 2026",
        "20",
        "",
        "57.1",
        "young people",
    ]
    by_place = {(line[2], line[3]): line for line in lines[1:]}
    assert by_place[("Health", "Jan to Mar 2027")][4:6] == ["", "secondary"]
    assert by_place[("Health", "Oct to Dec 2026")][4:7] == ["0", "", "0.0"]
    assert by_place[("Total", "Jan to Mar 2027")][4:7] == ["35", "", ""]


def test_tables_without_a_section_have_an_empty_section() -> None:
    lines = list(report_csv.rows([publish_table(raw_table())]))
    assert {line[0] for line in lines[1:]} == {""}


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_is_neutralised(start: str) -> None:
    text = f'{start}HYPERLINK("http://example.invalid")'
    table = raw_table(
        key=f"{start}key",
        columns=(f"{start}column", "Oct to Dec 2026"),
        rows=(Row(f"{start}row", (20, 20)),),
        unit=f"{start}unit",
    )
    published = publish_section(Section(key=text, title=text, summary=text, tables=(table,)))
    lines = read(b"".join(report_csv.stream(report_csv.rows(published))))
    for line in lines[1:]:
        for value in line:
            assert not value.startswith(report_csv.FORMULA_STARTS), line
    assert lines[1][:4] == [f"'{text}", f"'{start}key", f"'{start}row", f"'{start}column"]
    assert lines[1][7] == f"'{start}unit"


def test_nul_bytes_are_stripped_before_the_check() -> None:
    table = raw_table(rows=(Row("\x00=Police\x00", (20, 20)),))
    lines = read(b"".join(report_csv.stream(report_csv.rows([publish_table(table)]))))
    assert lines[1][2] == "'=Police"
    assert all("\x00" not in value for line in lines for value in line)


def test_estimates_have_their_own_file_and_are_neutralised() -> None:
    published = publish_section(section(raw_table()))
    lines = read(b"".join(report_csv.stream(report_csv.estimates_rows(published))))
    assert lines[0] == list(report_csv.ESTIMATES_HEADER)
    # School's first count 20 is shown: 20 x £3,000 x 6 and x 12.
    assert lines[1] == [
        "need",
        "'=Estimated return",
        "20",
        "3000",
        "6",
        "12",
        "360000",
        "720000",
        "Research cited in DESIGN.md section 7, £6 to £12 for every £1",
        "An estimate, not a measurement; -unit cost as configured",
    ]


def test_an_estimate_from_a_hidden_count_has_no_figures() -> None:
    raw = section(raw_table())
    hidden = Section(
        key=raw.key,
        title=raw.title,
        summary=raw.summary,
        tables=raw.tables,
        estimates=(
            Estimate(
                title="Estimated return",
                table_key=raw.tables[0].key,
                row_label="Police",
                cost_per_young_person=3000,
                return_low=6,
                return_high=12,
                source="Research",
                assumptions=(),
            ),
        ),
    )
    lines = list(report_csv.estimates_rows(publish_section(hidden)))
    assert lines[1][2:8] == ["", 3000, 6, 12, "", ""]


def test_the_byte_order_mark_can_be_left_out() -> None:
    data = b"".join(
        report_csv.stream(report_csv.rows([publish_table(raw_table())]), byte_order_mark=False)
    )
    assert data.startswith(b"section,table,")
