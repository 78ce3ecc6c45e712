#!/usr/bin/env bash
# THE test command of this repository (see README). On a fresh Debian 12 with only the .NET SDK it:
#   1. apt-installs the servers the integration tests start themselves (rabbitmq-server, postgresql) and the
#      browser for the dashboard tests (chromium, chromium-driver) - only when missing;
#   2. builds Integration.sln (Release) and runs every test project with a trx file per project;
#   3. prints exactly one final line "N passed, N failed" and exits non-zero when anything failed.
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Integration.Testing"]
# HUB_TEST_TARGET=path/to/X.csproj builds and tests only that project/solution instead of Integration.sln.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

target=${HUB_TEST_TARGET:-Integration.sln}
results_dir="$repo_root/artifacts/test-results"
stage="setup"            # setup | install | build | test | done - for the failure message
test_exit=0
policy_rc_d=/usr/sbin/policy-rc.d
policy_backup=""
policy_installed=0
server_root=""
own_server_root=0

# ---------------------------------------------------------------- privileges
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
fi
as_root() {
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
    echo "scripts/test.sh: need root or sudo to run: $*" >&2
    return 1
  fi
  "${SUDO[@]}" "$@"
}

# ---------------------------------------------------------------- cleanup + final line (EXIT trap)
# Debian's postinst scripts ask invoke-rc.d whether they may start services; policy-rc.d answering 101
# ("action forbidden") keeps them from starting a system RabbitMQ/PostgreSQL we do not want. Always restored.
restore_policy_rc_d() {
  [ "$policy_installed" -eq 1 ] || return 0
  if [ -n "$policy_backup" ]; then
    as_root mv -f "$policy_backup" "$policy_rc_d"
  else
    as_root rm -f "$policy_rc_d"
  fi
  policy_installed=0
}

# The fixtures stop their servers themselves, and a watchdog per server (reap.sh, see
# tests/Integration.Testing/Internal/ServerDirectory.cs) stops them if a test host died. This is the last net:
# anything still in this run's server directory after dotnet test has exited is stopped by its recorded PID.
reap_leftover_servers() {
  [ -n "$server_root" ] && [ -d "$server_root" ] || return 0
  local d
  for d in "$server_root"/*/; do
    [ -f "$d/reap.sh" ] && bash "$d/reap.sh" --now "${d%/}" || true
  done
  if [ -f "$server_root/reaped.log" ]; then
    echo "note: the safety net stopped $(wc -l < "$server_root/reaped.log") test server(s) a test host left behind:" >&2
    cat "$server_root/reaped.log" >&2
  fi
  [ "$own_server_root" -eq 1 ] && rm -rf -- "$server_root"
  return 0
}

attr() { # attr NAME "<Counters ...>" -> the numeric attribute value (0 when absent)
  local v
  v=$(printf '%s' "$2" | grep -o " $1=\"[0-9]*\"" | head -n1 | tr -dc '0-9' || true)
  echo "${v:-0}"
}

# vstest's trx logger has no per-project file name option (a fixed LogFileName would make the projects overwrite
# each other), so it writes unique default names; we rename each file after the assembly it tested.
name_trx_files() {
  local f asm
  shopt -s nullglob
  for f in "$results_dir"/*.trx; do
    asm=$(grep -o 'codeBase="[^"]*"' "$f" | head -n1 | sed 's/^codeBase="//; s/"$//' || true)
    asm=$(basename "${asm%.dll}")
    if [ -n "$asm" ] && [ "$(basename "$f")" != "$asm.trx" ] && [ ! -e "$results_dir/$asm.trx" ]; then
      mv -- "$f" "$results_dir/$asm.trx"
    fi
  done
  shopt -u nullglob
}

# Counts from the trx files: failed = total - passed, so skipped / not executed / errors count as failures
# (a test that did not run did not prove anything). A run whose test host crashed counts one failure more.
summarize() {
  local passed=0 failed=0 f counters total p outcome
  shopt -s nullglob
  for f in "$results_dir"/*.trx; do
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -n1 || true)
    total=$(attr total "$counters")
    p=$(attr passed "$counters")
    passed=$((passed + p))
    failed=$((failed + total - p))
    outcome=$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$f" | head -n1 | sed 's/.*outcome="//; s/"//' || true)
    case "$outcome" in
      Failed|Aborted|Error|Timeout)
        if [ "$total" -eq "$p" ]; then
          echo "note: $(basename "$f"): test run outcome $outcome (test host crashed or timed out)" >&2
          failed=$((failed + 1))
        fi ;;
    esac
  done
  shopt -u nullglob
  SUMMARY_PASSED=$passed
  SUMMARY_FAILED=$failed
}

on_exit() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  restore_policy_rc_d
  reap_leftover_servers
  name_trx_files
  summarize
  if [ "$rc" -ne 0 ] && [ "$stage" != done ]; then
    echo "scripts/test.sh: failed during $stage (exit code $rc)" >&2
    # A run that failed before its tests (setup, install, build) ran none of them: the final line says failed.
    [ "$stage" != test ] && SUMMARY_FAILED=$((SUMMARY_FAILED + 1))
  fi
  if [ "$test_exit" -ne 0 ] && [ "$SUMMARY_FAILED" -eq 0 ]; then
    echo "note: dotnet test exited with $test_exit but the trx files show no failed test (see output above)" >&2
  fi
  [ "$SUMMARY_FAILED" -gt 0 ] && [ "$rc" -eq 0 ] && rc=1
  echo "$SUMMARY_PASSED passed, $SUMMARY_FAILED failed"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- 1. system packages (only when missing)
stage="install"
need=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing missing packages: ${need[*]}"
  if [ -e "$policy_rc_d" ]; then
    policy_backup=$(mktemp)
    as_root cp -p "$policy_rc_d" "$policy_backup"
  fi
  printf '#!/bin/sh\n# Temporary, from scripts/test.sh: no service starts during package installation.\nexit 101\n' \
    | as_root tee "$policy_rc_d" >/dev/null
  as_root chmod 755 "$policy_rc_d"
  policy_installed=1
  # Another apt run (another engineer, unattended-upgrades) may hold the lock: wait for it, retry update.
  for attempt in 1 2 3; do
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update && break
    [ "$attempt" -eq 3 ] && exit 1
    sleep 10
  done
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${need[@]}"
  restore_policy_rc_d
  # If a system rabbitmq/postgres got started anyway we leave it alone: the fixtures use their own free ports.
  for f in /usr/lib/rabbitmq/bin/rabbitmq-server /usr/lib/postgresql/15/bin/initdb /usr/bin/chromium /usr/bin/chromedriver; do
    [ -x "$f" ] || { echo "scripts/test.sh: $f still missing after apt-get install" >&2; exit 1; }
  done
fi

# ---------------------------------------------------------------- 2. build
stage="build"
# Results of an earlier run must not be counted for this one, least of all when this one fails before its tests.
rm -rf "$results_dir"
dotnet build "$target" -c Release

# ---------------------------------------------------------------- 3. test
stage="test"
mkdir -p "$results_dir"
if [ -z "${HUB_TEST_SERVER_ROOT:-}" ]; then
  # One directory per run for the servers the fixtures start (0755: the 'postgres' user must traverse it).
  server_root=$(mktemp -d "${TMPDIR:-/tmp}/hubtest-run.XXXXXX")
  chmod 755 "$server_root"
  own_server_root=1
  export HUB_TEST_SERVER_ROOT="$server_root"
else
  server_root=$HUB_TEST_SERVER_ROOT
fi
# vstest kills a test host 100 ms after the run by default - too short for the ProcessExit hook that stops the
# shared servers cleanly. The host exits as soon as that hook is done, so a long limit costs nothing.
export VSTEST_TESTHOST_SHUTDOWN_TIMEOUT=${VSTEST_TESTHOST_SHUTDOWN_TIMEOUT:-60000}

dotnet test "$target" -c Release --no-build \
  --results-directory "$results_dir" \
  --logger trx \
  --blame-hang-timeout 10m \
  "$@" || test_exit=$?
stage="done"
exit "$test_exit"
