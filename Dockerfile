# PIMH Pathway: the production image (see docs/deployment.md and docs/adr/0006-production-runtime.md).
# Build: docker build -t pimh-pathway .   Run with PostgreSQL: docker compose up (compose.yaml).

# ---- front-end assets (NHS.UK frontend), without the test-only packages ----
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# ---- the application ----
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/app/.venv/bin:$PATH \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIMH_VAR_DIR=/app/var \
    BIND=0.0.0.0:8000

# pg_dump/pg_restore for `pimh backup` and `pimh restore` (the same major version as compose.yaml's server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system pimh && useradd --system --gid pimh --home-dir /app --shell /usr/sbin/nologin pimh

WORKDIR /app
RUN pip install --no-cache-dir uv
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
# Runtime dependencies only: no test tools, linters or load generator in the image.
RUN uv sync --frozen --no-dev --no-cache
COPY manage.py ./
COPY docker ./docker
COPY --from=assets /app/node_modules ./node_modules

# Hashed, compressed static files, made once at build time (no secrets are needed or kept).
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0000 \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input -v 0 \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var/backups && chown -R pimh:pimh /app/var

USER pimh
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4).status != 200)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["serve"]
