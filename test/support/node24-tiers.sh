#!/usr/bin/env bash
# Runs the unit and smoke tiers on Node 24 (the current LTS, the Docker image's Node) from the npm
# registry's `node` binary package, next to the main run on the machine's Node. Needs dist/ built
# (`npm run build`), as the smoke tier starts the built product; its child processes run on the same
# Node 24 binary (test/smoke/process-runner.ts spawns process.execPath).
# NODE24_VERSION picks the version; each tier is bounded in time (NODE24_TIER_TIMEOUT, seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
limit="${NODE24_TIER_TIMEOUT:-900}"
node24="$(bash test/support/node24-path.sh)"
echo "Node 24 from the registry: ${node24} ($("$node24" --version))"
jest=(--experimental-vm-modules node_modules/jest/bin/jest.js --config test/jest.config.js)
timeout "$limit" "$node24" "${jest[@]}" --selectProjects unit
timeout "$limit" "$node24" "${jest[@]}" --selectProjects smoke --runInBand
