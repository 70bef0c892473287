# Harbour's production image: one image for web (gunicorn), the Celery worker,
# Celery beat and one-off management commands. docker-compose.yml runs it;
# docs/deployment.md explains the settings.

# --- Front-end assets -----------------------------------------------------------
FROM node:20-bookworm AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/scss static/scss
RUN npm run build

# --- Application ----------------------------------------------------------------
# The Debian release is named so that a rebuild does not quietly change the
# system libraries WeasyPrint uses.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    HARBOUR_ENV=production \
    MEDIA_ROOT=/var/lib/harbour/media \
    PRIVATE_MEDIA_ROOT=/var/lib/harbour/private-media \
    WEB_CONCURRENCY=3

# WeasyPrint (PDF reports) needs Pango and HarfBuzz, and fonts to set text in.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system harbour \
    && useradd --system --gid harbour --create-home --home-dir /home/harbour harbour

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# settings.STATICFILES_DIRS reads GOV.UK Frontend and htmx from node_modules.
COPY --from=assets /app/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist
COPY --from=assets /app/node_modules/htmx.org/dist node_modules/htmx.org/dist
COPY --from=assets /app/node_modules/cytoscape/dist node_modules/cytoscape/dist
COPY --from=assets /app/static/build static/build

# Uploaded files and report PDFs live on volumes mounted here; a new volume
# takes its folder's owner, so the unprivileged user can write to it.
RUN install -d -o harbour -g harbour "$MEDIA_ROOT" \
    && install -d -m 0700 -o harbour -g harbour "$PRIVATE_MEDIA_ROOT"

# collectstatic loads the production settings, which refuse to start without a
# secret key and allowed hosts. These placeholders exist only while this RUN
# executes (build arguments are not kept in the image's environment); the real
# values come from the environment when a container starts. Never pass a real
# key here.
ARG SECRET_KEY=collectstatic-placeholder-not-a-secret
ARG ALLOWED_HOSTS=localhost
RUN python manage.py collectstatic --noinput

USER harbour
EXPOSE 8000

# gunicorn takes its number of worker processes from WEB_CONCURRENCY.
# No HEALTHCHECK here: the same image also runs the worker and beat, so each
# service's check is defined in docker-compose.yml.
CMD ["gunicorn", "cse_cases.wiring.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm"]
