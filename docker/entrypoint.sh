#!/bin/sh
# Entrypoint of the api and worker images (docker/Dockerfile).
#
#   api [args]     apply pending migrations, then serve the HTTP API (args go to the API, e.g. --seed-demo)
#   worker [args]  apply pending migrations, then run the background worker
#   migrate        apply pending migrations and exit
#   anything else  run as given, e.g. `node dist/apps/api/src/cli.js audit:verify` or `sh`
#
# Migrations run under a PostgreSQL advisory lock, so api and worker may start at the same time.
set -eu

# The application directory is the parent of this script's directory (/app in the image).
APP_DIR=$(cd "$(dirname "$0")/.." && pwd)

# Also moves to APP_DIR: configuration paths (standards/, var/) are relative to the working directory.
run_migrations() {
  cd "$APP_DIR"
  node dist/apps/api/src/cli.js migration:run
}

case "${1:-}" in
  api)
    shift
    run_migrations
    exec node dist/apps/api/src/main.js "$@"
    ;;
  worker)
    shift
    run_migrations
    exec node dist/apps/worker/src/main.js "$@"
    ;;
  migrate)
    run_migrations
    ;;
  '')
    echo "usage: entrypoint.sh api|worker|migrate|<command> [args...]" >&2
    exit 2
    ;;
  *)
    exec "$@"
    ;;
esac
