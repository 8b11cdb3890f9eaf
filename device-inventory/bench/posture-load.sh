#!/usr/bin/env bash
# Load check of GET /v1/posture (not a test): starts the service on its own embedded PostgreSQL with a local
# JWKS issuer, seeds devices, drives lookups from concurrent Java clients and then wrk (if installed).
# Usage: device-inventory/bench/posture-load.sh [devices=2000] [clients=8] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -ntp -q -pl device-inventory test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd device-inventory
exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.gatehouse.deviceinventory.bench.PostureLoadCheck "$@"
