"""The words of the demo caseload: fictional names, places and what the
workers wrote.

Surnames are invented (nobody real is called Jade Larkspur), so the demo
cannot be mistaken for a real child's record. Professional text follows the
appropriate-language guidance the language check enforces (DESIGN.md
principle 7): what adults did to a child, never what the child "chose".
Placeholders: {name} (the young person's first name, or the name they go
by), {carer}, {school}, {area}, {place}.
"""

from __future__ import annotations

# First names by nation (its code), then names heard in every nation. (F, M, N: the
# young person's gender, so the record says it without guessing.)
FIRST_NAMES = {
    "ENG": {
        "F": [
            "Amelia",
            "Aaliyah",
            "Chloe",
            "Demi",
            "Ellie",
            "Esme",
            "Fatima",
            "Hollie",
            "Imani",
            "Jasmine",
            "Keeley",
            "Lacey",
            "Maya",
            "Olivia",
            "Paige",
            "Ruby",
            "Sasha",
            "Zofia",
        ],
        "M": ["Aaron", "Callum", "Dylan", "Harvey", "Jayden", "Kacper", "Mason", "Reece", "Yusuf"],
    },
    "WLS": {
        "F": ["Alys", "Cerys", "Eleri", "Ffion", "Lowri", "Mali", "Megan", "Seren", "Tirion"],
        "M": ["Cai", "Dafydd", "Gethin", "Ieuan", "Osian", "Rhodri", "Tomos"],
    },
    "SCT": {
        "F": ["Catriona", "Eilidh", "Isla", "Mhairi", "Morven", "Skye", "Iona", "Kirsten"],
        "M": ["Calum", "Euan", "Finlay", "Lachlan", "Ruaridh", "Struan", "Lewis"],
    },
    "NIR": {
        "F": ["Aoibheann", "Caoimhe", "Ciara", "Clodagh", "Niamh", "Orla", "Saoirse", "Erin"],
        "M": ["Cathal", "Cormac", "Darragh", "Oisin", "Ronan", "Tiernan"],
    },
    "anywhere": {
        "F": ["Amara", "Anaya", "Chidera", "Ewa", "Hoda", "Ife", "Mariam", "Precious", "Wiktoria"],
        "M": ["Arjun", "Bilal", "Hamza", "Kwame", "Luca", "Tomasz", "Mohammed"],
        "N": ["Jordan", "Riley", "Robin", "Sky", "Charlie", "Jesse", "Ash"],
    },
}
# The name some young people go by.
SHORT_NAMES = {
    "Amelia": "Millie",
    "Olivia": "Liv",
    "Jasmine": "Jaz",
    "Catriona": "Cat",
    "Aoibheann": "Eve",
    "Mohammed": "Mo",
    "Wiktoria": "Wiki",
    "Tomasz": "Tom",
    "Dafydd": "Dai",
    "Jayden": "JJ",
    "Precious": "Presh",
}
SURNAMES = [
    "Alderbrook",
    "Amberleigh",
    "Ashcombe",
    "Birchwood",
    "Blackthorn",
    "Brackenridge",
    "Bramblewick",
    "Briarley",
    "Calderwood",
    "Coldharbour",
    "Copperbeech",
    "Cressingham",
    "Dovecote",
    "Dunmorrow",
    "Elmsworth",
    "Emberton",
    "Fairhollow",
    "Fernbrook",
    "Foxmoor",
    "Glenhallow",
    "Goldcrest",
    "Greywater",
    "Hallowmere",
    "Hazelmere",
    "Heathercote",
    "Hollowell",
    "Juniperly",
    "Kestrelby",
    "Lapwingham",
    "Larkspur",
    "Lindenmere",
    "Marchbank",
    "Merriweather",
    "Mistlewood",
    "Nettlefield",
    "Oakhurst",
    "Orchardleigh",
    "Pebblecombe",
    "Penhallow",
    "Quillfield",
    "Ravensmere",
    "Redbrook",
    "Rowanby",
    "Rushmere",
    "Saltmarsh",
    "Sandpiper",
    "Sorrelby",
    "Swallowdale",
    "Tansley",
    "Teaselby",
    "Thistlewood",
    "Underhill",
    "Valemont",
    "Wainscott",
    "Westerleigh",
    "Willowby",
    "Wrenfield",
    "Wyvernly",
    "Yarrowby",
]
STREETS = [
    "Larch Close",
    "Mill Lane",
    "Chapel Row",
    "Quarry Road",
    "Orchard Way",
    "Station Terrace",
    "Heron Court",
    "Bridge Street",
    "Meadow View",
    "Tannery Walk",
]
# Who the young person lives with, as the worker writes it.
CARERS = {
    "home": ["their mum", "their dad", "their gran", "their mum and stepdad", "their aunt"],
    "foster": ["their foster carer"],
    "residential": ["staff at the children's home"],
    "supported": ["their support worker at the supported lodgings"],
}

# Adults the police and the CSE lead are worried about. Phone numbers are in
# Ofcom's range for drama (07700 900000 to 900999): they reach nobody.
PERSONS_OF_CONCERN = [
    {
        "name": "Lee Marchbank",
        "nicknames": ["Marchy"],
        "description": "Man in his late twenties. Seen collecting young people from the "
        "town centre in the evenings and buying them food and cigarettes.",
        "vehicles": ["Silver hatchback, partial registration KX"],
    },
    {
        "name": "Dean Copperbeech",
        "nicknames": ["Uncle D"],
        "description": "Man in his forties who runs parties at a rented flat; several young "
        "people have given his first name.",
        "vehicles": [],
    },
    {
        "name": "Stacey Wainscott",
        "nicknames": [],
        "description": "Woman in her thirties. Intelligence suggests she introduces girls to "
        "older men and books hotel rooms for them.",
        "vehicles": ["White people carrier"],
    },
    {
        "name": "Kieran Hollowell",
        "nicknames": ["K", "Kez"],
        "description": "Man aged 22. Linked to drug supply between towns; young people say "
        "he gives them phones and tells them they owe him for them.",
        "vehicles": ["Black saloon"],
    },
]
# (name, kind, address): each area's places of concern.
PLACES = [
    ("Mill Street takeaway", "takeaway", "Mill Street, {area}"),
    ("Quayside Lodge Hotel", "hotel", "Quayside, {area}"),
    ("{area} bus station", "transport", "Station Road, {area}"),
    ("Castle Park skate area", "park", "Castle Park, {area}"),
    ("A group chat on a messaging app", "online", "A messaging app group found on two phones"),
]

# Where the young person was found, and with whom.
FOUND = [
    ("At a flat above the Mill Street takeaway", "Two adult men not known to the family"),
    ("At the {area} bus station, late at night", "Another young person, also reported missing"),
    ("In a car stopped by police on the ring road", "An adult man, who was arrested"),
    ("At a friend's house on the other side of town", "A friend of the same age"),
    ("At the Quayside Lodge Hotel", "An adult woman who had booked the room"),
    ("In Castle Park", "A group of older teenagers"),
]

# What each theme means for the record: the exploitation model, what the
# workers noticed, and the words of the referral that brought the child in.
THEMES = {
    "older_adult": {
        "model": "grooming_relationship",
        "seen": "An adult man much older than {name} has been collecting them from school "
        "and buying them gifts.",
    },
    "online": {
        "model": "online",
        "seen": "Adults {name} has never met have been contacting them on social media and "
        "asking for images.",
    },
    "missing": {
        "model": "inappropriate_relationship",
        "seen": "{name} has been reported missing several times and comes back tired and "
        "unwilling to say where they were.",
    },
    "county_lines": {
        "model": "gang_associated",
        "seen": "{name} has been found in another town with cash and two phones; older "
        "young people say {name} owes them money.",
    },
    "peer": {
        "model": "peer_on_peer",
        "seen": "Young people of {name}'s age have been sharing {name}'s details with older "
        "men and arranging for them to meet.",
    },
    "substances": {
        "model": "organised",
        "seen": "{name} has been given alcohol and cannabis by adults at parties at a rented flat.",
    },
    "school": {
        "model": "inappropriate_relationship",
        "seen": "{name} has been leaving school at lunchtime and has been seen getting into "
        "a car outside the gates.",
    },
}

# Notes, by who writes them. Each is a sentence or two a worker would write.
CONTACT_YOUNG_PERSON = [
    "Home visit. {name} was at home with {carer}. We talked about school, friendships and "
    "what a good week would look like; {name} agreed to meet again next week.",
    "Met {name} after school and went for food. We talked about the accounts that have been "
    "contacting them online and went through the privacy settings together.",
    "Drove {name} to the sexual health clinic. {name} talked more openly than usual in the car "
    "about feeling pressured by older people in the town centre. Shared with the team the "
    "same day.",
    "Direct work session using the circles of trust tool. {name} named {carer} and their form "
    "tutor as trusted adults. We agreed a safety plan for weekends.",
    "Visited {name} at {school}. {name} said things have been calmer at home and attendance "
    "is improving. We went through who to call if someone asks them to go somewhere.",
    "Planned visit; {name} was not at home. Left a card and sent a text to rearrange. {name} "
    "replied and we met the next afternoon at the library.",
    "Session at the youth centre. {name} worked on a timeline of the last month and is "
    "clearer now that the gifts came with expectations, and that none of this is their fault.",
    "Walked with {name} from school to the bus station and talked about the adults who wait "
    "there. {name} knows they can call me or {carer} to be collected.",
]
CONTACT_FAMILY = [
    "Phone call with {carer} about late returns at the weekend. Agreed that {carer} will report "
    "{name} missing if they are an hour past the agreed time, and call me on Monday.",
    "Visit to {carer}. We talked about the signs of exploitation and what the team is doing. "
    "{carer} asked for support for the whole family; referral to the parents' group agreed.",
    "Met {carer} at the office. {carer} is worried about a car seen outside the house and had "
    "written down part of the registration, which I passed to police.",
    "Phone call with {carer}. {name} has been home on time all week and has started going to "
    "the Tuesday football session again.",
]
# Multi-agency notes, by the writer's part in the team.
MULTI_AGENCY = {
    "police": [
        "Police update: intelligence report submitted about an adult seen collecting young "
        "people near {place}. Patrols increased there on Friday and Saturday nights.",
        "Police: the phone {carer} handed in has been examined. Two numbers are linked to a "
        "person of concern; the investigation continues and the team will be told of any change.",
        "Police: Child Abduction Warning Notice served on an adult who has been contacting "
        "{name}. {name} and {carer} were told what this means and what to report.",
    ],
    "school": [
        "School: attendance this half-term is improving. {name} has a daily check-in with their "
        "head of year, who is their safe adult in school.",
        "School: staff noticed a new phone and new trainers. Shared with the lead professional; "
        "nobody will question {name} about it before the team agrees how to talk with them.",
        "School: {name} left at lunchtime on Wednesday and was seen getting into a car. Reported "
        "to police and the lead professional within the hour.",
    ],
    "nurse": [
        "School nurse: {name} came to the drop-in and accepted a follow-up appointment. Advice "
        "given on healthy relationships and where to get support.",
        "School nurse: sexual health appointment held with {name}'s agreement. Follow-up booked; "
        "nothing further to share with the team at this stage.",
    ],
    "charity": [
        "Safe Harbour: weekly session held. {name} chose the activity and talked about the "
        "places in town that feel unsafe. Next session booked.",
        "Safe Harbour: {name} came to the girls' group for the first time and stayed for the "
        "whole session.",
        "Safe Harbour: {name} asked whether the same worker will stay with them; told yes, and "
        "agreed how to keep in touch over the holidays.",
    ],
    "youthjustice": [
        "Youth justice: {name} came to the appointment on time. We talked about the debt {name} "
        "has been told they owe; shared with police as possible criminal exploitation.",
        "Youth justice: the referral order panel heard how {name} was made to carry drugs by "
        "older people. The panel agreed that {name}'s safety comes first in the plan.",
    ],
    "lead": [
        "Professionals' call with police, school and health. Information shared for "
        "safeguarding; the actions agreed were recorded and sent to everyone on the call.",
        "Spoke with the police safeguarding team about the adults seen near {place}. Agreed to "
        "share any sighting the same day.",
    ],
}
MANAGEMENT_DECISION = [
    "Management decision: continue under the child exploitation procedures and review at the "
    "next multi-agency meeting. The lead professional stays the same, so {name} keeps the "
    "worker they know.",
    "Management decision: ask police and health for a strategy discussion, given the new "
    "information about adults at {place}.",
    "Management decision: the case stays open. The plan focuses on disruption of the adults "
    "involved, alongside support for {name} and {carer}.",
]
CASE_REVIEW = [
    "Case review: risk has reduced since the last review. Protective factors: a trusted adult "
    "at school and closer contact with family. Keep the plan and review in six weeks.",
    "Case review: concerns continue. {name} is still being contacted by adults not known to "
    "the family. Plan updated with police disruption at {place}.",
    "Case review: {name} has had no missing episodes this month and is back at school full "
    "time. The team agreed to keep weekly contact until the next review.",
]
# Each closing reason with the category the reports count it by.
CLOSING = [
    (
        "risk_reduced",
        "Risk reduced over six months of work: {name} is settled at school, has no contact with "
        "the adults of concern and knows who to go to. Stepped down to early help.",
    ),
    (
        "moved_away",
        "{name} has moved out of the area with their family; the new area's team has the "
        "records and a handover meeting was held.",
    ),
]
# The young person's own words, as written down.
YOUNG_PERSONS_WORDS = [
    "I just want people to stop going on at me.",
    "School's alright when my mates are there.",
    "I don't want to be moved again. I like my worker.",
    "He said I owed him for the phone.",
    "I like it when we go for food and just talk.",
    "Can we meet at the youth club instead of at home?",
    "I want to go to college and do hair and beauty.",
    "They were nice at first. Then it was different.",
    "I didn't know who else to tell.",
    "I feel safer now I know who to ring.",
]

# Missing episodes and the return home interview.
PUSH_FACTORS = [
    "Arguments at home about curfew; {name} said they did not feel listened to.",
    "A falling-out with friends at school.",
    "{name} said the house feels crowded and there is nowhere to be on their own.",
]
PULL_FACTORS = [
    "An older man told {name} he would pick them up and buy them food.",
    "Friends at a party at a flat in town, where adults provide alcohol.",
    "A message from someone {name} met online, asking to meet.",
]
INTERVIEW_WHERE = ["At school, in the quiet room", "At the youth centre", "At home, in the garden"]
ATTEMPTS = [
    "Visited twice and phoned. {name} said they did not want to talk this time; offered again "
    "for next week, with a worker they already know.",
]
