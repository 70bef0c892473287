"""The core knows no feature: each app registers what the core shows or runs
for it (record-page panels, home-page widgets, API routes, drift rules) from
its AppConfig.ready(), and the core's registries list exactly that."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from cse_cases import chronology, drift, home_widgets, panels
from cse_cases.access import RECORD_ROLES
from cse_cases.api import routes
from cse_cases.models import Role

FEATURES = ("referrals", "assessments", "supervision", "reports")


def test_assessments_register_the_record_pages_panels() -> None:
    assert [(p.key, p.template, p.context.__module__) for p in panels.panels()] == [
        # Supervision's "Move the case" link, for whoever may move it.
        (
            "case-allocation",
            "supervision/caseloads/_record_panel.html",
            "supervision.caseloads.panels",
        ),
        ("assessments", "assessments/risk/_case_assessments.html", "assessments.panels"),
        ("plan-and-meetings", "assessments/_plan_and_meetings.html", "assessments.panels"),
    ]


def test_each_app_registers_its_home_page_widget_in_order() -> None:
    assert [(w.key, w.template, w.context.__module__) for w in home_widgets.widgets()] == [
        # A commissioner's reports, and your cases: what each opens Harbour for.
        ("reports", "reports/_home.html", "reports.home"),
        ("your-cases", "supervision/caseloads/_home.html", "supervision.caseloads.panels"),
        ("referrals", "referrals/_home.html", "referrals.panels"),
        ("assessments", "assessments/_home.html", "assessments.panels"),
    ]
    # The record widgets are shown to those who work with records, as the
    # role pages always did; the reports widget to commissioners only.
    by_key = {w.key: set(w.roles) for w in home_widgets.widgets()}
    assert by_key.pop("reports") == {Role.COMMISSIONER}
    assert all(roles == set(RECORD_ROLES) for roles in by_key.values())


def test_each_app_registers_its_own_api_routes() -> None:
    by_app: dict[str, list[str]] = {}
    for route in routes.routes():
        by_app.setdefault(route.viewset.__module__.split(".")[0], []).append(route.prefix)
    assert by_app == {
        "cse_cases": [
            "areas",
            "agencies",
            "teams",
            "young-people",
            "cases",
            "case-notes",
            "persons-of-concern",
            "locations",
            "context-links",
            "missing-episodes",
            "return-interviews",
        ],
        "referrals": ["referrals"],
        "reports": ["reports", "problem-profile", "network"],
        "assessments": [
            "assessments",
            "assessment-templates",
            "meetings",
            "actions",
            "plans",
            "language",
        ],
        "supervision": [
            "flags",
            "caseloads",
            "cases/mine",
            "weighting-schemes",
            "case-allocations",
            "supervision-sessions",
        ],
    }


def test_a_prefix_cannot_be_claimed_twice() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from supervision.api import FlagViewSet

    with pytest.raises(ImproperlyConfigured, match="'referrals' is registered twice"):
        routes.register("referrals", FlagViewSet, basename="flag-api")


def test_each_app_registers_its_own_drift_rules_and_the_sweep_keeps_its_order() -> None:
    assert [(r.kind, r.candidates.__module__) for r in drift.rules()] == [
        ("referral_decision", "referrals.rules"),
        ("return_interview", "cse_cases.rules"),
        ("repeat_missing", "cse_cases.rules"),
        ("assessment_review", "assessments.rules"),
        ("turning_18", "assessments.rules"),
        ("no_contact", "cse_cases.rules"),
        ("meeting_record", "assessments.rules"),
        ("plan_review", "assessments.rules"),
        ("action", "assessments.rules"),
        ("strategy_meeting", "assessments.rules"),
        ("supervision", "supervision.sessions.rules"),
    ]


def test_features_register_their_chronology_sources() -> None:
    registered = [kind for kind, _ in chronology.kinds()]
    for kind in ("referral", "assessment", "meeting", "action", "case_supervision"):
        assert kind in registered


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under `if TYPE_CHECKING:`: they name a type for
    mypy and never run, as import-linter also treats them (pyproject.toml)."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            hidden |= {id(inner) for stmt in node.body for inner in ast.walk(stmt)}
    return hidden


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    hidden = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_core_imports_no_feature_outside_the_access_policy_and_the_wiring() -> None:
    core = Path(settings.BASE_DIR) / "cse_cases"
    allowed = (core / "access", core / "access.py", core / "wiring", core / "migrations")
    offenders = []
    for path in sorted(core.rglob("*.py")):
        if any(path == a or a in path.parents for a in allowed):
            continue
        for name in _imported_modules(path):
            if name.split(".")[0] in FEATURES:
                offenders.append(f"{path.relative_to(core.parent)}: {name}")
    assert offenders == []


@pytest.mark.django_db
def test_the_record_page_renders_the_registered_panels_under_the_team(
    jade, jades_case, amira, sign_in
) -> None:
    page = sign_in(amira).get(f"/young-people/{jade.pk}/").content.decode()
    team = page.index('id="team"')
    assessments = page.index('id="assessments-heading"')
    plan = page.index('id="plan-and-meetings"')
    risk = page.index('id="risk-history"')
    assert team < assessments < plan < risk
    assert f"/cases/{jades_case.pk}/plan/" in page


@pytest.mark.django_db
def test_the_home_page_renders_the_widgets_for_its_role_only(amira, priya, sign_in) -> None:
    page = sign_in(amira).get("/").content.decode()
    widget = page.index('<h2 class="govuk-heading-m">Referrals</h2>')
    assert widget < page.index('<h2 class="govuk-heading-m">Your account</h2>')
    assert "Make a referral" not in sign_in(priya).get("/").content.decode()
