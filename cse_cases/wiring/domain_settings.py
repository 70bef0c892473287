"""The domain's clocks and limits (DESIGN.md section 5), caseloads and reports.

Read into the settings by ``cse_cases/wiring/settings.py``; every value comes
from the environment with a documented default (docs/deployment.md).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from cse_cases.wiring.environment import clock_time, env

# The decision clock (README, "Referrals and the decision clock"): a routine
# referral is due one working day after receipt; an urgent one by the close of
# the working day its clock starts on, or this many office hours later,
# whichever is later. Office hours are local (Europe/London) wall-clock times.
REFERRAL_URGENT_WORKING_HOURS = env.int("REFERRAL_URGENT_WORKING_HOURS", default=4)
WORKING_DAY_START = clock_time("WORKING_DAY_START", "09:00")
WORKING_DAY_END = clock_time("WORKING_DAY_END", "17:00")
if WORKING_DAY_END <= WORKING_DAY_START:
    raise ImproperlyConfigured("WORKING_DAY_END must be later than WORKING_DAY_START")
if REFERRAL_URGENT_WORKING_HOURS < 0:
    raise ImproperlyConfigured("REFERRAL_URGENT_WORKING_HOURS must not be negative")
# Repeat missing episodes: this many in this many days asks for a review.
MISSING_REPEAT_COUNT = env.int("MISSING_REPEAT_COUNT", default=3)
MISSING_REPEAT_DAYS = env.int("MISSING_REPEAT_DAYS", default=90)
CASELOAD_FULL_TIME_HOURS = env.int("CASELOAD_FULL_TIME_HOURS", default=37)
if not 1 <= CASELOAD_FULL_TIME_HOURS <= 48:  # the hours a capacity is agreed for
    raise ImproperlyConfigured("CASELOAD_FULL_TIME_HOURS must be between 1 and 48")
# The drift engine: a flag still open this many working days after it fell due
# goes to the supervisor; contact gaps longer than this many days are flagged.
FLAG_ESCALATE_WORKING_DAYS = env.int("FLAG_ESCALATE_WORKING_DAYS", default=2)
CONTACT_GAP_DAYS = env.int("CONTACT_GAP_DAYS", default=28)
# PostgreSQL memory for each rule of a sweep, so comparing a national rule's
# subjects with its open flags is a hash join in memory, not on disk.
FLAG_SWEEP_WORK_MEM = env.str("FLAG_SWEEP_WORK_MEM", default="64MB")
# Each signed-off assessment sets its review: sooner at the highest level.
ASSESSMENT_REVIEW_MONTHS = env.int("ASSESSMENT_REVIEW_MONTHS", default=3)
ASSESSMENT_REVIEW_WEEKS_HIGH = env.int("ASSESSMENT_REVIEW_WEEKS_HIGH", default=6)
# Supervision by stage (calendar days, months): newly qualified (practice begun
# within NEWLY_QUALIFIED_MONTHS) every EARLY_DAYS for EARLY_WEEKS, every
# SETTLING_DAYS to SETTLING_MONTHS; then, and everyone else, every MONTHS.
SUPERVISION_NEWLY_QUALIFIED_MONTHS = env.int("SUPERVISION_NEWLY_QUALIFIED_MONTHS", default=12)
SUPERVISION_EARLY_WEEKS = env.int("SUPERVISION_EARLY_WEEKS", default=6)
SUPERVISION_EARLY_DAYS = env.int("SUPERVISION_EARLY_DAYS", default=7)
SUPERVISION_SETTLING_MONTHS = env.int("SUPERVISION_SETTLING_MONTHS", default=6)
SUPERVISION_SETTLING_DAYS = env.int("SUPERVISION_SETTLING_DAYS", default=14)
SUPERVISION_MONTHS = env.int("SUPERVISION_MONTHS", default=1)
for _name in [n for n in dir() if n.startswith("SUPERVISION_")]:
    if not 1 <= vars()[_name] <= 366:
        raise ImproperlyConfigured(f"{_name} is {vars()[_name]}; give a whole number 1 to 366.")

# Commissioner reports (docs/reports.md). Counts of 1 to this many are
# suppressed (DESIGN.md section 7): configurable upwards, never below 7.
REPORTS_SUPPRESSION_THRESHOLD = env.int("REPORTS_SUPPRESSION_THRESHOLD", default=7)
if REPORTS_SUPPRESSION_THRESHOLD < 7:
    raise ImproperlyConfigured("REPORTS_SUPPRESSION_THRESHOLD cannot be below 7 (DESIGN.md 7).")
# What one young person's specialist support costs, in pounds, for the value
# estimate. Unset, the estimate uses a placeholder and says so
# (reports/measures/value.py).
REPORTS_COST_PER_YOUNG_PERSON = env.int("REPORTS_COST_PER_YOUNG_PERSON", default=None)
# Report files (PDF, CSV) are deleted this many days after they are made.
REPORTS_KEEP_DAYS = env.int("REPORTS_KEEP_DAYS", default=30)
# PostgreSQL work_mem for each report or profile section (its transaction
# only): the sets a section counts are hashed only if they fit (nojit.py).
REPORTS_WORK_MEM = env.str("REPORTS_WORK_MEM", default="64MB")
# The network map (reports/network/): over this many nodes it draws nothing
# and asks for filters, so a browser is never handed a graph it cannot lay out.
NETWORK_NODE_BUDGET = env.int("NETWORK_NODE_BUDGET", default=500)
if not 1 <= NETWORK_NODE_BUDGET <= 20_000:
    raise ImproperlyConfigured("NETWORK_NODE_BUDGET must be a whole number from 1 to 20000.")
# Above this many nodes the map's drawing places each group as a block and
# adds its links a slice per frame, rather than running the force-directed
# layout, which held Chromium for ten seconds at 5,000 nodes
# (static/network/map.js; benchmarks/bench_profile.py).
NETWORK_FORCE_LAYOUT_NODES = env.int("NETWORK_FORCE_LAYOUT_NODES", default=600)
if not 1 <= NETWORK_FORCE_LAYOUT_NODES <= 20_000:
    raise ImproperlyConfigured("NETWORK_FORCE_LAYOUT_NODES must be a whole number from 1 to 20000.")
