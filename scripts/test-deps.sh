#!/usr/bin/env bash
# Installs the Debian packages the test suite uses (plistutil, a C compiler, iproute2, uvicorn) when they are missing.
# As root with apt-get it installs them; otherwise it says what is missing, and the tests that need them skip.
set -uo pipefail
need=()
command -v plistutil >/dev/null 2>&1 || need+=(libplist-utils)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v systemd-socket-activate >/dev/null 2>&1 || need+=(systemd)
/usr/bin/python3 -c 'import uvicorn' >/dev/null 2>&1 || need+=(python3-uvicorn)
# bun, for the tests that run the worker and daemons under it. Its npm package exists for linux x64 only, so it is no
# devDependency (npm ci would stop with EBADPLATFORM on any other machine); it is added here without touching the lock.
BUN_PACKAGE=@oven/bun-linux-x64@1.4.5
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] && [ ! -x node_modules/@oven/bun-linux-x64/bin/bun ]; then
  echo "test-deps: installing $BUN_PACKAGE (not saved to package.json)" >&2
  npm install --no-save --no-audit --no-fund "$BUN_PACKAGE" >/dev/null 2>&1 \
    || echo "test-deps: npm install $BUN_PACKAGE failed; the tests that use bun will skip" >&2
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || { echo "test-deps: apt-get install ${need[*]} failed" >&2; exit 1; }
else
  echo "test-deps: missing ${need[*]}; install them (e.g. sudo apt-get install ${need[*]}) or the tests that need them will skip" >&2
fi
exit 0
