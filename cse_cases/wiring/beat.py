"""Celery beat's scheduler: the schedule in the database, seeded from settings.

django-celery-beat's DatabaseScheduler writes every CELERY_BEAT_SCHEDULE entry
over its database row each time beat starts, so a schedule an administrator
changed in the admin (the README promises they can) went back to the settings'
at the next restart or deploy. Here the settings only add entries the
database does not have yet; after that the admin's schedule is the schedule.
"""

from __future__ import annotations

from django_celery_beat.schedulers import DatabaseScheduler


class HarbourScheduler(DatabaseScheduler):
    def update_from_dict(self, mapping: dict) -> None:
        kept = set(self.Model.objects.filter(name__in=mapping).values_list("name", flat=True))
        super().update_from_dict({k: v for k, v in mapping.items() if k not in kept})
