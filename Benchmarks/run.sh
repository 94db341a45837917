#!/usr/bin/env bash
# The side-by-side benchmark (issue 7) in one command: installs the peers with pip when missing,
# builds the Swift side in release mode, writes the seeded game sets, times our solvers and the
# peers on the very same games in this one run, profiles two of our workloads with callgrind, and
# writes docs/benchmarks.md and docs/benchmarks-time-vs-size.svg.
#
#   bash Benchmarks/run.sh [--quick] [--games N] [--games-large N] [--sweep-games N]
#                          [--caps PEER=N,...] [--caps-large PEER=N,...] [--out DIR] [--no-profile] [--no-doc]
#
#   --games N         games per 8×8 and 4×4×4 workload (default 300; --quick 30)
#   --games-large N   games per 16×16 workload (default 50; --quick 8)
#   --sweep-games N   games per size of the time-against-size sweep (default 10; --quick 2; 0 skips it)
#   --caps            at most N games for a slow peer on 8×8 and 4×4×4 (peers: highspy, scipy-linprog,
#                     openspiel-mw, openspiel-mg, cvxpy-clarabel, scipy-lbfgsb, scipy-lbfgsb-tight;
#                     default openspiel-mg=30,cvxpy-clarabel=150,scipy-lbfgsb-tight=150;
#                     quick openspiel-mg=5,cvxpy-clarabel=20)
#   --caps-large      the same on 16×16 (default openspiel-mg=8,cvxpy-clarabel=25)
#   --seconds S       time each workload, ours and each peer's, for at least S s of wall time: passes over
#                     the same games repeat and are pooled (default 1.0; --quick 0.4; the sweep 0.3)
#   --rounds R        repeat the goals' comparisons (ours vs highspy and scipy L-BFGS-B on 8×8 CE) in R
#                     alternating rounds of fresh processes (default 4; --quick 2; 0 skips them)
#   --out DIR         where the game sets, results and logs go (default Benchmarks/.results)
#   --no-doc          do not overwrite docs/benchmarks.md and the SVG (results stay in DIR)
#
# Every process runs with OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1; times are thread CPU time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
command_line="bash Benchmarks/run.sh${*:+ $*}"

games=300; games_large=50; sweep=10; seconds=1.0; sweep_seconds=0.3
caps="openspiel-mg=30,cvxpy-clarabel=150,scipy-lbfgsb-tight=150"
caps_large="openspiel-mg=8,cvxpy-clarabel=25"
out="$here/.results"; profile=1; doc=1; rounds=4
quick_games=30; quick_large=8; quick_sweep=2
quick_caps="openspiel-mg=5,cvxpy-clarabel=20"
quick_caps_large="openspiel-mg=2,cvxpy-clarabel=3"
user_games=""; user_large=""; user_sweep=""; user_caps=""; user_caps_large=""; user_seconds=""; user_rounds=""; quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --games) user_games="$2"; shift ;;
    --games-large) user_large="$2"; shift ;;
    --sweep-games) user_sweep="$2"; shift ;;
    --caps) user_caps="$2"; shift ;;
    --caps-large) user_caps_large="$2"; shift ;;
    --seconds) user_seconds="$2"; shift ;;
    --rounds) user_rounds="$2"; shift ;;
    --out) out="$2"; shift ;;
    --no-profile) profile=0 ;;
    --no-doc) doc=0 ;;
    -h|--help) sed -n 2,28p "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 64 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  games=$quick_games; games_large=$quick_large; sweep=$quick_sweep; caps=$quick_caps; caps_large=$quick_caps_large
  seconds=0.4; sweep_seconds=0.1; rounds=2
fi
games=${user_games:-$games}; games_large=${user_large:-$games_large}; sweep=${user_sweep:-$sweep}
caps=${user_caps:-$caps}; caps_large=${user_caps_large:-$caps_large}; seconds=${user_seconds:-$seconds}
rounds=${user_rounds:-$rounds}

export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
start=$(date +%s)
say() { echo "== $* ($(( $(date +%s) - start )) s)" >&2; }

# 1. What the build and the peers need.
bash "$root/scripts/setup.sh"
if ! python3 -c "import numpy, scipy, highspy, cvxpy, clarabel, ecos, osqp, open_spiel, threadpoolctl, matplotlib" 2>/dev/null; then
  say "installing the peers with pip"
  python3 -m pip install -q --disable-pip-version-check numpy scipy highspy cvxpy clarabel ecos osqp open_spiel \
    threadpoolctl matplotlib jax flax optax 2>&1 | grep -v -i "running pip as the 'root' user" >&2 || true
fi

# 2. The Swift side, release mode.
say "building (release)"
cd "$here"
swift build -c release --product bench >&2
bench="$here/.build/release/bench"

rm -rf "$out"
mkdir -p "$out"

# 3. The machine and its load, before anything is timed.
{
  lscpu > "$out/lscpu.txt"
  nproc --all > "$out/nproc.txt"
  free -h > "$out/free.txt"
  uname -srm > "$out/uname.txt"
  cat /proc/loadavg > "$out/load-start.txt"
  head -1 /proc/stat > "$out/stat-start.txt"
  top -b -n 2 -d 1 -o %CPU | awk '/^top -/{n++} n==2' | sed -n '1,3p;7,12p' > "$out/top-start.txt"
  swift --version 2>&1 | head -1 > "$out/swift-version.txt"
  dpkg-query -W -f '${Package} ${Version}\n' libglpk40 libopenblas0-pthread libopenblas0 liblapack3 liblbfgsb0 2>/dev/null \
    > "$out/debian-versions.txt" || true
  env | grep -E '^(OPENBLAS|OMP)_' > "$out/blas-env.txt" || true
  echo "$command_line" > "$out/command.txt"
  date -u '+%Y-%m-%d %H:%M UTC' > "$out/date.txt"
} 2>/dev/null

# 4. Our solvers (and the game sets they solved).
say "our solvers: $games games per 8x8 and 4x4x4 workload, $games_large per 16x16, sweep $sweep per size"
"$bench" --out "$out" --games "$games" --games-large "$games_large" --sweep-games "$sweep" \
  --seconds "$seconds" --sweep-seconds "$sweep_seconds" | tee "$out/ours.log"

# 5. The peers on the same games. numpy, scipy, HiGHS and Clarabel bring their own, current
# OpenBLAS builds; OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some machines for the older
# system OpenBLAS) only slow those down, so they are unset for the peers' process alone — the
# Swift side, which links Debian's OpenBLAS, runs in the environment as given (docs/benchmarks.md).
peer_env=()
if [ -n "${OPENBLAS_CORETYPE:-}" ] || [ -n "${OPENBLAS_L2_SIZE:-}" ]; then
  peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
fi
say "peers (caps: $caps; 16x16: $caps_large)"
"${peer_env[@]}" python3 "$here/peers/run_peers.py" "$out" --caps "$caps" --caps-large "$caps_large" \
  --seconds "$seconds" --sweep-seconds "$sweep_seconds" \
  2> >(grep --line-buffered -v -E "Running HiGHS|Includes third-party|Copyright" >&2) | grep --line-buffered -v -E "Running HiGHS|Includes third-party" \
  | tee "$out/peers.log"
# 5b. The goals' comparisons again, in alternating rounds (ours, then the peers, then ours …), each
# round a fresh pair of processes: the machine's speed drifts for seconds at a time, and a ratio
# measured in several rounds says how much of it is that drift.
say "goal rounds: $rounds × (ours, highspy, scipy L-BFGS-B) on mw-ce-8x8 and me-ce-8x8"
for r in $(seq 1 "$rounds"); do
  rd="$out/rounds/r$r"
  mkdir -p "$rd"
  "$bench" --out "$rd" --games "$games" --games-large 0 --sweep-games 0 --seconds "$seconds" \
    --only mw-ce-8x8 --only me-ce-8x8-newton > "$rd.ours.log"
  "${peer_env[@]}" python3 "$here/peers/run_peers.py" "$rd" --seconds "$seconds" \
    --caps "scipy-linprog=0,openspiel-mw=0,openspiel-mg=0,cvxpy-clarabel=0" > "$rd.peers.log" 2>&1
done
cat /proc/loadavg > "$out/load-end.txt"
head -1 /proc/stat > "$out/stat-end.txt"
top -b -n 2 -d 1 -o %CPU | awk '/^top -/{n++} n==2' | sed -n '1,3p;7,12p' > "$out/top-end.txt" 2>/dev/null || true

# 6. Where our time goes: callgrind on the 8×8 CE workloads (instruction counts: immune to load);
# bench toggles collection around each solve call, so only the solves are counted.
if [ "$profile" = 1 ] && command -v valgrind >/dev/null; then
  say "callgrind profiles"
  for w in me-ce-8x8-newton mw-ce-8x8; do
    n=$([ "$quick" = 1 ] && echo 10 || echo 40)
    valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out/callgrind-$w.out" \
      "$bench" --out "$out/profile-scratch" --no-write --seconds 0 --games "$n" --games-large 0 --sweep-games 0 --only "$w" \
      > "$out/callgrind-$w.log" 2>&1 || true
    callgrind_annotate --inclusive=yes "$out/callgrind-$w.out" > "$out/callgrind-$w.inclusive.txt" 2>/dev/null || true
    callgrind_annotate --inclusive=no "$out/callgrind-$w.out" > "$out/callgrind-$w.exclusive.txt" 2>/dev/null || true
  done
fi

# 7. The report.
echo $(( $(date +%s) - start )) > "$out/elapsed.txt"
if [ "$doc" = 1 ]; then
  say "writing docs/benchmarks.md"
  python3 "$here/peers/report.py" "$out" --doc "$root/docs/benchmarks.md" --svg "$root/docs/benchmarks-time-vs-size.svg"
else
  python3 "$here/peers/report.py" "$out" --doc "$out/benchmarks.md" --svg "$out/benchmarks-time-vs-size.svg"
fi
say "done"
# The Python package: per-call overhead against the CLI, batches, JPSRO meta-solvers.
if [ "$doc" = 1 ]; then
  say "writing docs/benchmarks-python.md"
  (cd "$root" && swift build -c release --product equilibria >&2)
  (cd "$root" && python3 -m pip install -q ./python >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages ./python >/dev/null)
  "${peer_env[@]}" python3 "$here/peers/python_api.py" --cli "$root/.build/release/equilibria" --doc "$root/docs/benchmarks-python.md" $([ "$quick" = 1 ] && echo --quick)
fi
# The reference neural solver: NES inference against Newton on the same held-out games (its
# default pipeline run trains first; --quick trains the small network briefly).
if [ "$doc" = 1 ]; then
  say "writing docs/benchmarks-nes.md"
  nes_run="$out/nes"
  if [ "$quick" = 1 ] && [ ! -f "$nes_run/checkpoint/state.msgpack" ]; then
    (cd "$root" && PYTHONPATH="$root/python:$root/examples/nes" EQUILIBRIA_CLI="$root/.build/release/equilibria" \
      python3 -m nes.pipeline --out "$nes_run" --size small --steps 300 >&2)
  fi
  (cd "$root" && PYTHONPATH="$root/python:$root/examples/nes" EQUILIBRIA_CLI="$root/.build/release/equilibria" \
    python3 -m nes.benchmark --run "$nes_run" --doc "$root/docs/benchmarks-nes.md")
fi
