"""The beat schedule is editable at run time by administrators, and only them
(README, "The drift engine"): django-celery-beat's screens, behind the policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from cse_cases.models import Role
from supervision import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep_task() -> PeriodicTask:
    """The sweep as beat writes it from CELERY_BEAT_SCHEDULE at start."""
    every_15, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.MINUTES)
    return PeriodicTask.objects.create(
        name="sweep-flags", task="supervision.tasks.sweep_flags", interval=every_15
    )


def change_form(task: PeriodicTask, **changes) -> dict:
    data = {
        "name": task.name,
        "regtask": task.task,
        "task": task.task,
        "enabled": "on",
        "description": "",
        "interval": task.interval_id,
        "crontab": "",
        "solar": "",
        "clocked": "",
        "start_time_0": "",
        "start_time_1": "",
        "args": "[]",
        "kwargs": "{}",
        "expires_0": "",
        "expires_1": "",
        "expire_seconds": "",
        "queue": "",
        "exchange": "",
        "routing_key": "",
        "priority": "",
        "headers": "{}",
    }
    data.update(changes)
    return data


def test_an_administrator_changes_how_often_the_sweep_runs(alex, sign_in, sweep_task) -> None:
    client = sign_in(alex)
    assert client.get("/admin/").status_code == 200
    assert "Periodic tasks" in client.get("/admin/").content.decode()
    for path in [
        "/admin/django_celery_beat/periodictask/",
        f"/admin/django_celery_beat/periodictask/{sweep_task.pk}/change/",
        "/admin/django_celery_beat/intervalschedule/",
        "/admin/django_celery_beat/crontabschedule/",
        "/admin/django_celery_beat/intervalschedule/add/",
    ]:
        assert client.get(path).status_code == 200, path
    hourly = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    response = client.post(
        f"/admin/django_celery_beat/periodictask/{sweep_task.pk}/change/",
        change_form(sweep_task, interval=hourly.pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sweep_task.refresh_from_db()
    assert sweep_task.interval == hourly
    # The pages' idea of a late sweep follows the schedule beat now keeps.
    assert selectors.sweep_interval() == timedelta(hours=1)


@pytest.mark.parametrize(
    "persona", ["amira", "sam", "jo", "priya", "dev", "tom", "rhian", "ben", "grace"]
)
def test_nobody_else_reaches_the_schedule(persona, request, sign_in, sweep_task) -> None:
    user = request.getfixturevalue(persona)
    assert user.role != Role.ADMINISTRATOR
    client = sign_in(user)
    for path in [
        "/admin/django_celery_beat/periodictask/",
        f"/admin/django_celery_beat/periodictask/{sweep_task.pk}/change/",
        "/admin/django_celery_beat/intervalschedule/add/",
    ]:
        response = client.get(path)
        # Admin hands over to the sign-in page rather than showing anything.
        assert response.status_code == 302, path
        assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]
    client.post(
        f"/admin/django_celery_beat/periodictask/{sweep_task.pk}/change/",
        change_form(sweep_task, enabled=""),
    )
    sweep_task.refresh_from_db()
    assert sweep_task.enabled


def test_someone_signed_out_reaches_nothing(client, sweep_task) -> None:
    response = client.get("/admin/django_celery_beat/periodictask/")
    assert response.status_code == 302


# The scheduler closes its database connection as beat does, which a test
# inside a transaction cannot survive.
@pytest.mark.django_db(transaction=True)
def test_the_schedule_an_administrator_set_survives_beat_restarting() -> None:
    from cse_cases.wiring.beat import HarbourScheduler
    from cse_cases.wiring.celery import app

    # First start: the settings' schedule is written.
    HarbourScheduler(app=app)
    sweep = PeriodicTask.objects.get(name="sweep-flags")
    assert sweep.interval.schedule.run_every == timedelta(minutes=15)
    # An administrator makes it hourly; beat restarts (a deploy, a reboot).
    hourly = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.filter(pk=sweep.pk).update(interval=hourly)
    scheduler = HarbourScheduler(app=app)
    sweep.refresh_from_db()
    assert sweep.interval == hourly
    assert scheduler.schedule["sweep-flags"].schedule.run_every == timedelta(hours=1)
    # An entry new in settings is still added.
    PeriodicTask.objects.filter(name="flag-digests").delete()
    HarbourScheduler(app=app)
    assert PeriodicTask.objects.filter(name="flag-digests").exists()
