"""Run the benchmarks: python -m benchmarks [name-filter]."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

from cse_cases import embedded

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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_cases.settings")
    return services


def main(argv: list[str]) -> int:
    services = prepare_environment()
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", "--noinput", verbosity=0)
        wanted = argv[0] if argv else ""
        names = sorted(
            m.name
            for m in pkgutil.iter_modules([str(Path(__file__).parent)])
            if m.name.startswith("bench_") and wanted in m.name
        )
        print(f"{'benchmark':<48} {'result':>14}  detail")
        for name in names:
            module = importlib.import_module(f"benchmarks.{name}")
            started = time.perf_counter()
            for row in module.run():
                print(f"{row.name:<48} {row.value:>14}  {row.detail}")
            print(f"{'  (' + name + ' took':<48} {time.perf_counter() - started:>13.1f}s)")
    finally:
        embedded.stop(services)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
