"""The wiring: what turns Harbour's apps into a running service, kept apart
from the core record so a newcomer sees which is which.

Here: the settings (`cse_cases.wiring.settings`), the root URLconf and the API
router (built from the routes each app registers), Celery and its beat
scheduler, the WSGI and ASGI entry points, the embedded PostgreSQL and Redis
with `make run`'s dev stack, and the demo seeding. The domain (young people,
cases, notes, the chronology, access...) lives in the rest of `cse_cases/` and
in the feature apps; only the wiring and the access package may name features.
"""

# Load the Celery app with Django so that @shared_task binds to it: every
# Django process imports this package, because the settings module is in it.
from cse_cases.wiring.celery import app as celery_app

__all__ = ("celery_app",)
