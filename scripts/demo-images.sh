#!/usr/bin/env bash
# `npm run demo:images`: pushes the README tour's images, built in code from busybox-static
# (libs/testing buildDemoImage), to the local registry on 127.0.0.1:5000: demo:v1 and demo:v2 serve
# their version on / and 200 on /health; demo:bad answers 404 on /health. Prints each reference.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
main=dist/libs/testing/src/demo-images.main.js
[ -f "$main" ] || npm run build --silent
node "$main"
