#!/usr/bin/env bash
# Soak: the real agent in `run` mode playing a recorded video in a loop (a file source is reopened at its end,
# like a live stream that ended) against a local mosquitto, for DURATION seconds (default 600). Samples the
# agent's resident memory, threads and open file descriptors from /proc every INTERVAL seconds and prints
# them, then the growth from the end of the warm-up (the first WARMUP seconds) to the end.
#
#   tools/soak.sh [--duration S] [--interval S] [--warmup S] [--video FILE] [--profile NAME|FILE] [--out DIR] [-- AGENT SETTINGS]
#
# Settings after `--` go to the agent as they are (e.g. `-- --Evidence:Enabled=false` to tell its share of the memory).
# Needs the Release build of src/EdgeAgent (dotnet build src/EdgeAgent -c Release) and mosquitto.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

DURATION=600 INTERVAL=30 WARMUP=120 VIDEO=samples/uk-traffic.mp4 PROFILE=anpr-1080p-ir OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --video) VIDEO=$2; shift 2 ;;
    --profile) PROFILE=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "soak: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
BUILD=src/EdgeAgent/bin/Release/net10.0
[ -f "$BUILD/edgeagent.dll" ] || { echo "soak: $BUILD/edgeagent.dll is missing: run dotnet build src/EdgeAgent -c Release" >&2; exit 2; }
[ -f "$VIDEO" ] || { echo "soak: video $VIDEO does not exist" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d /tmp/edgeagent-soak-XXXXXX)}
mkdir -p "$OUT"
# A copy of the build, so that a rebuild during the soak does not pull the files from under the running agent.
rm -rf "$OUT/agent" && cp -r "$BUILD" "$OUT/agent" && cp -r hardware-profiles "$OUT/agent/hardware-profiles"
AGENT="$OUT/agent/edgeagent.dll"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cat > "$OUT/mosquitto.conf" <<CONF
user $(id -un)
listener $PORT 127.0.0.1
allow_anonymous true
CONF
mosquitto -c "$OUT/mosquitto.conf" > "$OUT/mosquitto.log" 2>&1 &
BROKER=$!
AGENT_PID=""
SUB=""
cleanup() {
  [ -n "$AGENT_PID" ] && kill -TERM "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null || true
  [ -n "$SUB" ] && kill "$SUB" 2>/dev/null || true
  kill "$BROKER" 2>/dev/null || true
}
trap cleanup EXIT
sleep 0.5
mosquitto_sub -h 127.0.0.1 -p "$PORT" -t 'anpr/v1/#' -v > "$OUT/received.log" 2>/dev/null &
SUB=$!

dotnet "$AGENT" keys init --key "$OUT/unit.key" > /dev/null
dotnet "$AGENT" run --Camera:Source="$(readlink -f "$VIDEO")" --Camera:Profile="$PROFILE" \
  --Mqtt:Host=127.0.0.1 --Mqtt:Port="$PORT" --Storage:Path="$OUT/outbox.db" --Privacy:KeyFile="$OUT/unit.key" \
  --Health:IntervalSeconds=10 "$@" > "$OUT/agent.log" 2>&1 &
AGENT_PID=$!

echo "soak: agent pid $AGENT_PID, broker pid $BROKER on 127.0.0.1:$PORT, $DURATION s, files in $OUT"
echo "seconds,rss_kb,threads,fds,reads_received,managed_heap_kb" | tee "$OUT/samples.csv"
START=$(date +%s)
while :; do
  NOW=$(( $(date +%s) - START ))
  kill -0 "$AGENT_PID" 2>/dev/null || { echo "soak: the agent exited early; see $OUT/agent.log" >&2; exit 1; }
  RSS=$(awk '/^VmRSS:/ {print $2}' "/proc/$AGENT_PID/status")
  THREADS=$(awk '/^Threads:/ {print $2}' "/proc/$AGENT_PID/status")
  FDS=$(ls "/proc/$AGENT_PID/fd" | wc -l)
  READS=$(grep -c '/read ' "$OUT/received.log" || true)
  # The agent's own figure from its latest health message (its managed heap; RSS also counts native memory).
  HEAP=$({ grep '/health ' "$OUT/received.log" || true; } | tail -1 | sed -n 's/.*"managed_heap_bytes":\([0-9]*\).*/\1/p')
  echo "$NOW,$RSS,$THREADS,$FDS,$READS,$(( ${HEAP:-0} / 1024 ))" | tee -a "$OUT/samples.csv"
  [ "$NOW" -ge "$DURATION" ] && break
  sleep "$INTERVAL"
done

kill -TERM "$AGENT_PID"; wait "$AGENT_PID" && EXIT=0 || EXIT=$?
AGENT_PID=""
python3 - "$OUT/samples.csv" "$WARMUP" "$EXIT" "$OUT" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
warm = int(sys.argv[2])
after = [r for r in rows if int(r["seconds"]) >= warm] or rows
a, b = after[0], after[-1]
def f(k): return [int(r[k]) for r in after]
print(f"soak: {b['seconds']} s, {b['reads_received']} reads delivered, {sum(1 for _ in open(sys.argv[4] + '/agent.log') if '[1002]' in _)} video loops, agent exit {sys.argv[3]} on SIGTERM")
print(f"soak: from {a['seconds']} s to {b['seconds']} s: RSS {int(a['rss_kb'])//1024} -> {int(b['rss_kb'])//1024} MB "
      f"(min {min(f('rss_kb'))//1024}, max {max(f('rss_kb'))//1024}), threads {a['threads']} -> {b['threads']} "
      f"(max {max(f('threads'))}), fds {a['fds']} -> {b['fds']} (max {max(f('fds'))}), "
      f"managed heap {int(a['managed_heap_kb'])//1024} -> {int(b['managed_heap_kb'])//1024} MB (max {max(f('managed_heap_kb'))//1024})")
PY
