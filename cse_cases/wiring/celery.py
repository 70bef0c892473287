"""The Celery app: configured from Django settings (the CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_cases.wiring.settings")

app = Celery("harbour")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Lazy: a worker or beat imports every installed app's tasks module when it starts.
app.autodiscover_tasks()


@app.on_after_finalize.connect
def import_every_tasks_module(sender: Celery, **kwargs: object) -> None:
    """Register every app's tasks in any process, not only in a worker.

    The lazy discovery above runs only when a worker or beat boots, so a web
    process, a shell or a test knew only the tasks modules something happened to
    import: `app.tasks` then disagreed with the beat schedule. The registry is
    finalized on first use, after Django has loaded; if something finalizes it
    earlier, the apps are not known yet and the worker's own discovery still runs.
    """
    from django.apps import apps

    if apps.ready:
        sender.autodiscover_tasks(force=True)
