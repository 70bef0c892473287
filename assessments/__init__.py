"""The assessments app: one Django app (label ``assessments``, one set of
migrations) holding four rooms, each with its own models, services,
selectors, views, api, forms and urls:

- ``risk/``: risk assessment templates and the assessments made with them;
- ``meetings/``: multi-agency meetings and the actions agreed at them;
- ``plans/``: See Me, Hear Me plans and their reviews;
- ``language/``: the language check on free text.

At the root: ``models.py`` (every room's models, so Django and the
migrations see one app), ``urls.py`` (every room's urls), ``text.py`` (the
text-length rule the rooms share), and what the app plugs into the core:
``apps.py``, ``chronology.py``, ``merge.py``, ``rules.py`` (drift rules),
``tasks.py``, ``pdf.py`` (meeting papers) and ``demo/``.
"""
