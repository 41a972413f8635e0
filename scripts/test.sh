#!/usr/bin/env bash
# Runs every test: unit tests, fuzz tests and the network-namespace labs against real peers (needs root).
# Installs what it needs first. .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
mvn -B -ntp verify
