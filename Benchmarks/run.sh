#!/usr/bin/env bash
# The side-by-side benchmark (issue 7) in one command: installs the peers with pip when missing,
# builds the Swift side in release mode, writes the seeded game sets, times our solvers and the
# peers on the very same games in this one run, profiles two of our workloads with callgrind, and
# writes docs/benchmarks.md and docs/benchmarks-time-vs-size.svg.
#
#   bash Benchmarks/run.sh [--quick] [--games N] [--games-large N] [--sweep-games N] [--sweep-budget S]
#                          [--sweep-shapes L] [--batch-count N] [--caps PEER=N,...] [--caps-large PEER=N,...]
#                          [--out DIR] [--no-profile] [--no-doc]
#
#   --games N         games per 8×8 and 4×4×4 workload (default 300; --quick 30)
#   --games-large N   games per 16×16 workload (default 50; --quick 8)
#   --sweep-games N   at most N games per size of the size sweep (peers/sweep.py: 10 up to |A| = 256, then
#                     6, 4, 3 at the largest; default 10; --quick 2; 0 skips the sweep); each solver runs each
#                     (shape, workload) in a process of its own, for its peak memory
#   --sweep-budget S  seconds the sweep may take; what is left then is skipped, and said so (default 2400;
#                     --quick 120)
#   --sweep-shapes L  the sweep's shapes, e.g. 8x8,4x4x4 (default: 2 players up to 64×64, 3 up to 10×10×10,
#                     4 up to 6^4, 5 up to 4^5; --quick 2x2,4x4,8x8,16x16,2x2x2,4x4x4)
#   --batch-count N   games per `equilibria batch` throughput run, --jobs 1 against --jobs 2 and two shard
#                     processes, in alternating rounds (peers/batch_scaling.py; default 4000, 5 rounds, and
#                     peak memory at 1k, 10k, 100k games; --quick 1000, 2 rounds, 1k and 10k; 0 skips it)
#   --caps            at most N games for a slow peer on 8×8 and 4×4×4 (peers: highspy, scipy-linprog,
#                     openspiel-mw, openspiel-mg, clarabel, scipy-lbfgsb, scipy-lbfgsb-tight;
#                     default openspiel-mg=30,clarabel=150,scipy-lbfgsb-tight=150;
#                     quick openspiel-mg=5,clarabel=20)
#   --caps-large      the same on 16×16 (default openspiel-mg=8,clarabel=25)
#   --seconds S       time each workload, ours and each peer's, for at least S s of wall time: passes over
#                     the same games repeat and are pooled (default 1.0; --quick 0.4; the sweep 0.3)
#   --rounds R        repeat the goals' comparisons (ours vs highspy and scipy L-BFGS-B on 8×8 CE) in R
#                     alternating rounds of fresh processes (default 4; --quick 2; 0 skips them)
#   --out DIR         where the game sets, results and logs go (default Benchmarks/.results)
#   --no-doc          do not overwrite docs/benchmarks.md and the SVG (results stay in DIR)
#   --no-extras       skip the Python package's and the NES benchmarks (docs/benchmarks-python.md and
#                     docs/benchmarks-nes.md; the NES one trains its network first when it has none)
#
# Every process runs with OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1; times are thread CPU time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
command_line="bash Benchmarks/run.sh${*:+ $*}"

games=300; games_large=50; sweep=10; seconds=1.0; sweep_seconds=0.3
caps="openspiel-mg=30,clarabel=150,scipy-lbfgsb-tight=150"
caps_large="openspiel-mg=8,clarabel=25"
out="$here/.results"; profile=1; doc=1; rounds=4; extras=1
sweep_budget=2400; sweep_shapes=""; batch_count=4000; batch_rounds=5; batch_memory="1000,10000,100000"
quick_games=30; quick_large=8; quick_sweep=2
quick_caps="openspiel-mg=5,clarabel=20"
quick_caps_large="openspiel-mg=2,clarabel=3"
user_games=""; user_large=""; user_sweep=""; user_sweep_budget=""; user_sweep_shapes=""; user_batch=""; user_caps=""; user_caps_large=""; user_seconds=""; user_rounds=""; quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --games) user_games="$2"; shift ;;
    --games-large) user_large="$2"; shift ;;
    --sweep-games) user_sweep="$2"; shift ;;
    --sweep-budget) user_sweep_budget="$2"; shift ;;
    --sweep-shapes) user_sweep_shapes="$2"; shift ;;
    --batch-count) user_batch="$2"; shift ;;
    --caps) user_caps="$2"; shift ;;
    --caps-large) user_caps_large="$2"; shift ;;
    --seconds) user_seconds="$2"; shift ;;
    --rounds) user_rounds="$2"; shift ;;
    --out) out="$2"; shift ;;
    --no-profile) profile=0 ;;
    --no-doc) doc=0 ;;
    --no-extras) extras=0 ;;
    -h|--help) sed -n 2,37p "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 64 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  games=$quick_games; games_large=$quick_large; sweep=$quick_sweep; caps=$quick_caps; caps_large=$quick_caps_large
  seconds=0.4; sweep_seconds=0.1; rounds=2
  sweep_budget=120; sweep_shapes="2x2,4x4,8x8,16x16,2x2x2,4x4x4"; batch_count=1000; batch_rounds=2; batch_memory="1000,10000"
fi
games=${user_games:-$games}; games_large=${user_large:-$games_large}; sweep=${user_sweep:-$sweep}
caps=${user_caps:-$caps}; caps_large=${user_caps_large:-$caps_large}; seconds=${user_seconds:-$seconds}
rounds=${user_rounds:-$rounds}
sweep_budget=${user_sweep_budget:-$sweep_budget}; sweep_shapes=${user_sweep_shapes:-$sweep_shapes}
batch_count=${user_batch:-$batch_count}

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
(cd "$root" && swift build -c release --product equilibria >&2)

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
say "our solvers: $games games per 8x8 and 4x4x4 workload, $games_large per 16x16"
"$bench" --out "$out" --games "$games" --games-large "$games_large" --sweep-games 0 \
  --seconds "$seconds" | tee "$out/ours.log"

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
# 5a. The size sweep: ours and each peer at every size, each (shape, workload, solver) in a process
# of its own, for its peak memory; a time budget, fewer games at the large sizes (peers/sweep.py).
if [ "$sweep" -gt 0 ]; then
  say "size sweep: at most $sweep games per size, budget $sweep_budget s"
  "${peer_env[@]}" python3 "$here/peers/sweep.py" --bench "$bench" --out "$out/sweep" --max-games "$sweep" \
    --seconds "$sweep_seconds" --budget "$sweep_budget" ${sweep_shapes:+--shapes "$sweep_shapes"} \
    2> >(grep --line-buffered -v -E "Running HiGHS|Includes third-party|Copyright" >&2) | tee "$out/sweep.log"
fi
# 5c. Batch throughput, one thread against two, and batch memory against the number of games.
if [ "$batch_count" -gt 0 ]; then
  say "batch: $batch_count games, --jobs 1 vs --jobs 2 vs two shard processes, $batch_rounds rounds"
  python3 "$here/peers/batch_scaling.py" --cli "$root/.build/release/equilibria" --out "$out/batch" \
    --count "$batch_count" --rounds "$batch_rounds" --memory-counts "$batch_memory" | tee "$out/batch.log"
fi
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
    --caps "scipy-linprog=0,openspiel-mw=0,openspiel-mg=0,clarabel=0" > "$rd.peers.log" 2>&1
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
if [ "$doc" = 1 ] && [ "$extras" = 1 ]; then
  say "writing docs/benchmarks-python.md"
  (cd "$root" && python3 -m pip install -q ./python >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages ./python >/dev/null)
  "${peer_env[@]}" python3 "$here/peers/python_api.py" --cli "$root/.build/release/equilibria" --doc "$root/docs/benchmarks-python.md" $([ "$quick" = 1 ] && echo --quick)
fi
# The reference neural solver: NES inference against Newton on the same held-out games (its
# default pipeline run trains first; --quick trains the small network briefly).
if [ "$doc" = 1 ] && [ "$extras" = 1 ]; then
  say "writing docs/benchmarks-nes.md"
  nes_run="$out/nes"
  if [ "$quick" = 1 ] && [ ! -f "$nes_run/checkpoint/state.msgpack" ]; then
    (cd "$root" && PYTHONPATH="$root/python:$root/examples/nes" EQUILIBRIA_CLI="$root/.build/release/equilibria" \
      python3 -m nes.pipeline --out "$nes_run" --size small --steps 300 >&2)
  fi
  (cd "$root" && PYTHONPATH="$root/python:$root/examples/nes" EQUILIBRIA_CLI="$root/.build/release/equilibria" \
    python3 -m nes.benchmark --run "$nes_run" --doc "$root/docs/benchmarks-nes.md")
fi
