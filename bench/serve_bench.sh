#!/usr/bin/env bash
# Load benchmark of `medaudit serve` (docs/bench.md, "serve"): throughput and p50/p99 latency of
# POST /v1/check for a typical 1.5 KB answer with wrk (installed with apt-get when missing), the
# server pinned to 2 cores with 2 I/O threads, once with many connections (saturation) and once
# with few (latency); then the same answers through `check --jsonl` for comparison. Bounded in
# time: about 4 x SECONDS plus start-up.
#
# usage: bench/serve_bench.sh [BUILD_DIR] [SECONDS]      (defaults: build, 10)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
seconds="${2:-10}"
bin="$build/medaudit"
[ -x "$bin" ] || { echo "no $bin: build first (cmake --build $build --target medaudit)" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
  (apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk >/dev/null) ||
    { echo "wrk is missing and could not be installed (apt-get install wrk)" >&2; exit 2; }
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A typical patient-facing answer of about 1.5 KB with one prescription sentence.
answer="Sore throat with fever is most often caused by a virus, and most viral throat infections \
get better on their own within a week. A bacterial infection such as strep throat is less common \
but needs a proper diagnosis, usually with a rapid antigen test or a throat culture taken by a \
clinician. Things that help in the meantime: drink plenty of fluids, rest, gargle with warm salt \
water several times a day, and use throat lozenges or honey in warm water (not for children under \
one year). Take amoxicillin 500 mg three times a day for 10 days. Paracetamol can ease pain and \
fever if you follow the dose on the package. Avoid smoking and second-hand smoke, which irritate \
the throat. Seek medical care promptly if you have difficulty breathing or swallowing, drooling, \
a muffled voice, a stiff neck, a rash, a fever above 39 degrees that lasts more than two days, \
or symptoms that get worse instead of better after three or four days. People with a weakened \
immune system, chronic lung or heart disease, or who are pregnant should contact a doctor early. \
If you are tested and the result shows a bacterial infection, your doctor will decide whether an \
antibiotic is right for you, which one, and for how long, taking into account allergies and \
other medicines you take. Finish any course exactly as your doctor prescribes it. Wash your hands \
often and do not share cups or utensils while you are ill so that others do not catch it."
body="{\"id\": \"bench\", \"lang\": \"en\", \"answer\": \"$answer\"}"
printf '%s' "$body" >"$work/body.json"
echo "answer: ${#answer} bytes"

cat >"$work/post.lua" <<LUA
local f = io.open("$work/body.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

port=$((20000 + RANDOM % 20000))
taskset -c 0,1 "$bin" serve --port "$port" --threads 2 --db "$work/bench.db" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
url="http://127.0.0.1:$port/v1/check"
curl -sf -H 'Content-Type: application/json' --data-binary @"$work/body.json" "$url" |
  grep -q '"verdict":"block"' || { echo "server does not answer as expected" >&2; exit 1; }

# warm-up
wrk -t2 -c8 -d2s -s "$work/post.lua" "$url" >/dev/null

run() {  # threads connections
  local out
  out=$(wrk -t"$1" -c"$2" -d"${seconds}s" --latency -s "$work/post.lua" "$url")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
  printf '%-28s %10s req/s   p50 %-9s p99 %-9s %s\n' "wrk -t$1 -c$2 (${seconds}s)" "$rps" "$p50" \
    "$p99" "${errors:-no errors}"
}
echo "POST /v1/check, server on 2 cores (taskset -c 0,1, --threads 2), wrk on the same machine:"
run 2 64
run 2 16
run 1 4
run 1 1

# The same answers through the streaming CLI, one process, one thread.
n=$((2000 * seconds))
python3 - "$work/body.json" "$n" >"$work/answers.jsonl" <<'PY'
import sys
body = open(sys.argv[1]).read()
sys.stdout.write((body + "\n") * int(sys.argv[2]))
PY
start=$(date +%s.%N)
taskset -c 0 "$bin" check --jsonl --exit-zero <"$work/answers.jsonl" >/dev/null || true
end=$(date +%s.%N)
python3 - "$start" "$end" "$n" <<'PY'
import sys
start, end, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"check --jsonl (1 thread, 1 core): {n} answers in {end - start:.2f} s = {n / (end - start):,.0f} answers/s, "
      f"{1e6 * (end - start) / n:.1f} µs per answer (incl. ~80 ms start-up)")
PY
