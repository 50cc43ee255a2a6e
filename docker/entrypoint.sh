#!/bin/sh
# PIMH Pathway container entry point (see docs/deployment.md).
#
#   entrypoint.sh            wait for the database, migrate, check the deployment, run gunicorn
#   entrypoint.sh COMMAND…   the same preparation, then run COMMAND instead (for example: pimh backup --out …)
#
# Settings come from the environment (docs/configuration.md). Each step stops the
# container with a one-line message if it fails; nothing starts on a half-ready database.
set -eu

cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-pimh.config.settings}"
PYTHON="${PYTHON:-python}"

say() { printf 'entrypoint: %s\n' "$*" >&2; }

say "waiting for the database (at most ${DB_WAIT_SECONDS:-60} s)"
"$PYTHON" manage.py wait_for_database --seconds "${DB_WAIT_SECONDS:-60}"

say "applying migrations"
"$PYTHON" manage.py migrate --no-input -v 0

say "checking the deployment settings"
"$PYTHON" manage.py check --deploy --fail-level WARNING

if [ "${COLLECT_STATIC:-false}" = "true" ]; then
  say "collecting static files"
  "$PYTHON" manage.py collectstatic --no-input -v 0
fi

if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
  say "starting gunicorn"
  exec gunicorn -c python:pimh.config.gunicorn
fi
exec "$@"
