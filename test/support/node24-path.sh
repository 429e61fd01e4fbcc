#!/usr/bin/env bash
# Prints the path of a Node 24 binary (the current LTS, the Docker image's Node) from the npm registry's
# `node` package, fetched once into npm's cache. NODE24_VERSION picks the version. Used by the Node 24
# test tiers (node24-tiers.sh) and by `BENCH_NODE=24 npm run bench`.
set -euo pipefail
version="${NODE24_VERSION:-24.21.0}"
timeout 300 npm exec --yes --package="node@${version}" -- node -e 'process.stdout.write(process.execPath)'
