#!/usr/bin/env bash
# Projector throughput: Vitreous (Java and OpenCL) against relion_project on the same map and poses, in one run.
#   bench/projectors.sh [boxes...]      (default: 64 128 256)
# Prints a Markdown table for docs/benchmarks.md. Needs Debian's relion and, for OpenCL, pocl-opencl-icd.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
boxes=("${@:-64 128 256}")
[ $# -eq 0 ] && boxes=(64 128 256)
mvn -q -B -DskipTests -pl plugins -am package >/dev/null
touch plugins/target/vitreous-plugins.jar
cp="ops/target/classes:plugins/target/lib/*"
work="$root/target/bench-projectors"
rm -rf "$work"; mkdir -p "$work"
command -v relion_project >/dev/null || { echo "relion_project not found (apt-get install relion)" >&2; exit 1; }
now() { date +%s.%N; }
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"; [ -f "$jsig" ] || jsig=""
declare -A poses=([64]=2000 [128]=1000 [256]=250)
echo "| box | poses | operation | Java slices/s | OpenCL-CPU slices/s | whole job: relion_project s | whole job: vitreous project (Java) s | (OpenCL) s | relion / vitreous (best) |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in "${boxes[@]}"; do
  p=${poses[$n]:-500}
  dir="$work/$n"
  out=$(LD_PRELOAD="$jsig" java -cp "$cp" bench/ProjectorBench.java "$n" "$p" "$dir")
  get() { echo "$out" | awk -v d="$1" -v o="$2" '$3==d && $4==o {print $7}'; }
  t0=$(now); relion_project --i "$dir/map.mrc" --ang "$dir/poses.star" --o "$dir/relion" --angpix 2 >/dev/null 2>&1; t1=$(now)
  ./vitreous project --map "$dir/map.mrc" --particles "$dir/poses.star" --output "$dir/java.mrcs" --device java >/dev/null; t2=$(now)
  ./vitreous project --map "$dir/map.mrc" --particles "$dir/poses.star" --output "$dir/cl.mrcs" --device cpu >/dev/null 2>&1 || true; t3=$(now)
  rel=$(echo "$t1 - $t0" | bc -l); vj=$(echo "$t2 - $t1" | bc -l); vc=$(echo "$t3 - $t2" | bc -l)
  best=$(echo "if ($vj < $vc) $vj else $vc" | bc -l)
  printf "| %d | %d | project | %s | %s | %.2f | %.2f | %.2f | %.2f |\n" "$n" "$p" "$(get java project)" "$(get opencl-cpu project)" "$rel" "$vj" "$vc" "$(echo "$rel / $best" | bc -l)"
  printf "| %d | %d | back-project | %s | %s | | | | |\n" "$n" "$p" "$(get java backproject)" "$(get opencl-cpu backproject)"
  # the images agree with RELION's: report the worst per-image correlation
  /usr/bin/python3 - "$dir/relion.mrcs" "$dir/java.mrcs" <<'PY' >&2 || true
import sys, mrcfile, numpy as np
a = mrcfile.read(sys.argv[1]).astype(np.float64); b = mrcfile.read(sys.argv[2]).astype(np.float64)
a = a.reshape(len(a), -1); b = b.reshape(len(b), -1)
a -= a.mean(1, keepdims=True); b -= b.mean(1, keepdims=True)
c = (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))
print("box %d: worst per-image correlation with relion_project %.5f" % (a.shape[1] ** 0.5, c.min()))
PY
done
