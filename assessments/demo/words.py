"""What the demo's teams wrote in assessments, meetings and plans (see
cse_cases/wiring/demo/words.py for the placeholders and the language rule)."""

from __future__ import annotations

# Risk assessments: what the lead professional and the team wrote.
PARENTS_VIEWS = [
    "{carer} is worried about late nights and wants more support, including at weekends.",
    "{carer} is relieved that the team is involved and wants to be kept informed.",
    "{carer} finds it hard to talk with {name} about this and asked for help to do so.",
]
RATIONALES = {
    "low": "The indicators and the team's knowledge point to low risk: protective factors are "
    "strong and the concerns are historical. Keep in view and review.",
    "medium": "Several current indicators, with protective factors that are holding. A "
    "multi-agency plan is needed, with police disruption of the adults involved.",
    "high": "Current, serious indicators: missing episodes with adults of concern and "
    "reported harm. Strategy discussion and a full multi-agency plan.",
}
SECTIONS = {
    "police": "Police hold intelligence about the adults involved and are leading disruption; "
    "two reports have been graded and shared with the CSE lead.",
    "school": "Attendance has dipped this term. {name} has a safe adult and a daily check-in; "
    "staff report any sighting of adults at the gates the same day.",
    "nurse": "Health: {name} is registered with a GP and has used the school drop-in. A "
    "follow-up appointment is booked.",
    "charity": "Weekly sessions with the same worker; {name} talks most freely on car "
    "journeys and at the youth centre.",
    "youthjustice": "{name} is open to youth justice. The team sees the offending in the light "
    "of the exploitation: {name} was made to carry drugs by older people.",
}
RETURN_COMMENTS = (
    "Please add the school's view on attendance and say how {name}'s views were gathered, then "
    "send it back."
)

# Meetings.
HELD_MINUTES = (
    "The team shared what each agency knows. {name}'s worker read out {name}'s views. Police "
    "described the disruption under way at {place}; school and health described the support in "
    "place. The meeting agreed the risk level and the actions below."
)
MEETING_VIEWS = [
    "\u201cI want the same worker. I don't want to have to explain it all again.\u201d",
    "\u201cI'd rather people asked me first before they ring my mum.\u201d",
    "\u201cI feel better now I know the police are doing something.\u201d",
]
PLAN_DECISIONS = [
    "The See Me, Hear Me plan continues; review in six weeks.",
    "A See Me, Hear Me plan will be written by the lead professional within five working days.",
]
ACTIONS = {
    "police": "Complete hotel and takeaway checks at {place} and report any sighting of the "
    "adults named in the meeting.",
    "school": "Agree a daily check-in with {name}'s safe adult and report any absence the same "
    "morning.",
    "nurse": "Offer {name} a sexual health and wellbeing appointment at a time that suits them.",
    "charity": "Weekly one-to-one sessions with {name}, with the same worker.",
    "youthjustice": "Ask the referral order panel to take the exploitation into account.",
    "lead": "Visit {name} and {carer} to agree the safety plan for weekends.",
}
ACTION_EVIDENCE = "Done: recorded in the case notes, and the team was told by email."

# See Me, Hear Me plans.
PLAN = {
    "needs_and_outcomes": "{name} is safe from the adults who have been exploiting them, goes "
    "to school every day, and knows who to go to when worried.",
    "young_person_support": "Weekly sessions with the same worker; a safe adult at school; "
    "help to understand healthy relationships at {name}'s own pace.",
    "parents_support": "Support for {carer} from the parents' group, and a named contact in the "
    "team for evenings and weekends.",
    "family": "Younger siblings are in view of the team; no separate concerns about them.",
    "disruption_and_investigation": "Police disruption of the adults involved at {place} (hotel "
    "and takeaway checks, a Child Abduction Warning Notice where the law allows), and any "
    "investigation following what {name} has told us.",
    "health": "Sexual health and wellbeing appointments with the school nurse.",
    "education": "Full-time timetable with a daily check-in; any absence reported the same "
    "morning.",
    "accommodation": "{name} stays at home; no move is planned.",
    "young_persons_views": "\u201cI want to choose where we meet. I like the youth centre.\u201d",
}
TRANSITION = (
    "{name} turns 18 within the year: a transition meeting with the adult safeguarding team "
    "is booked, and the same worker stays until the handover."
)
PLAN_REVIEW_NOTES = (
    "Reviewed with {name} and {carer}. Fewer missing episodes since the last version; "
    "disruption continues."
)
