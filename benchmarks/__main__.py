"""Run the benchmarks: python -m benchmarks [name-filter].

Exits 1 when any goal is missed, or a benchmark fails to run, so `make bench`
fails with it.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from cse_cases.wiring import embedded

BENCH_DATABASE = "harbour_bench"


def prepare_environment() -> embedded.Services:
    os.environ.setdefault("HARBOUR_ENV", "test")
    os.environ.setdefault("DEBUG", "false")
    # Requests go through Django's test client.
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    services = embedded.Services(embedded.data_dir() / "bench", disposable=True)
    if "DATABASE_URL" not in os.environ or "REDIS_URL" not in os.environ:
        embedded.start(services)
        embedded.ensure_database(services, BENCH_DATABASE)
        os.environ.setdefault("DATABASE_URL", services.database_url(BENCH_DATABASE))
        os.environ.setdefault("REDIS_URL", services.redis_url(db=0))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_cases.wiring.settings")
    return services


def benchmark_modules(wanted: str = "") -> list[ModuleType]:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_") and wanted in m.name
    )
    return [importlib.import_module(f"benchmarks.{name}") for name in names]


def run_benchmarks(modules: Iterable[ModuleType], out=None) -> int:
    """Run each module's run(), print its rows, and judge its goals: 0 when
    every goal was met, 1 when one was missed or a benchmark failed."""
    from benchmarks.harness import Goal, missed

    out = out or sys.stdout
    failures: list[str] = []
    began = time.perf_counter()
    print(f"{'benchmark':<52} {'result':>12}  {'':<6} detail", file=out)
    for module in modules:
        name = module.__name__.rsplit(".", 1)[-1]
        started = time.perf_counter()
        try:
            rows = list(module.run())
        except Exception:
            traceback.print_exc(file=out)
            failures.append(f"{name} did not finish")
            continue
        for row in rows:
            if isinstance(row, Goal):
                verdict = "met" if row.met else "MISSED"
                print(f"{row.name:<52} {row.value():>12}  {verdict:<6} {row.detail()}", file=out)
            else:
                print(f"{row.name:<52} {row.value:>12}  {'':<6} {row.detail}", file=out)
        failures += [f"{name}: {g.name} {g.value()} ({g.detail()})" for g in missed(rows)]
        took = time.perf_counter() - started
        print(f"{'  (' + name + ' took':<52} {took:>11.1f}s)", file=out, flush=True)
    print(f"all benchmarks took {time.perf_counter() - began:.0f} s", file=out)
    if failures:
        print(f"{len(failures)} goal(s) missed:", file=out)
        for failure in failures:
            print(f"  {failure}", file=out)
        return 1
    print("every goal met", file=out)
    return 0


def main(argv: list[str]) -> int:
    services = prepare_environment()
    try:
        import django
        from django.core.management import call_command

        django.setup()
        # The engine logs each rule of each sweep; the rows say what matters.
        logging.getLogger("supervision").setLevel(logging.WARNING)
        call_command("migrate", "--noinput", verbosity=0)
        return run_benchmarks(benchmark_modules(argv[0] if argv else ""))
    finally:
        embedded.stop(services)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
