#!/usr/bin/env bash
# 3D refinement on particles that look real (issue 15, item 23): RELION 3.1 auto-refine against `vitreous refine-3d`
# on identical particles made by bench/realistic.py from a noise-free simulation (per-particle intensity scale,
# coloured noise, 10% junk, defocus errors; SNR 0.05), from the same map low-passed to 30 Å. Prints a Markdown row:
# wall times, each final map's FSC 0.143 / 0.5 against the truth, and each program's pose errors on the genuine
# particles (median, and the share more than 20° off).
#   bench/refine-realistic.sh [count] [--keep-peer]   (default: 2000 particles of box 64; needs relion and
#   python3-mrcfile; --keep-peer reuses RELION's run and time from an earlier call on the same particles)
# RELION runs as bench/refine.sh runs it (3 ranks, --auto_local_healpix_order 3, --norm --scale).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
count=${1:-2000}; keep=${2:-}
command -v relion_refine_mpi >/dev/null || { echo "relion_refine_mpi not found (apt-get install relion)" >&2; exit 1; }
./vitreous --help >/dev/null
truth="$root/../shared/data/relion/ribosome_b64.mrc"
dir="$root/target/bench-realistic/$count"; mkdir -p "$dir"
now() { date +%s.%N; }
[ -f "$dir/clean/particles.star" ] || ./vitreous simulate-particles --map "$truth" --count "$count" --snr 0 \
  --shift-sigma 6 --seed 1 --output "$dir/clean" --device java >/dev/null
[ -f "$dir/real/particles.star" ] || /usr/bin/python3 bench/realistic.py "$dir/clean/particles.star" "$dir/real" >/dev/null
( cd "$dir" && relion_image_handler --i "$truth" --o ref30.mrc --lowpass 30 >/dev/null )
rm -rf "$dir/vitreous"
export OMPI_MCA_mpi_yield_when_idle=1
if [ "$keep" = "--keep-peer" ] && [ -f "$dir/relion/seconds" ]; then
  rt=$(cat "$dir/relion/seconds")
else
rm -rf "$dir/relion"; mkdir -p "$dir/relion"
t0=$(now)
( cd "$dir/real" && mpirun --allow-run-as-root --oversubscribe -np 3 relion_refine_mpi \
  --o ../relion/run --auto_refine --split_random_halves --i particles.star --ref ../ref30.mrc --firstiter_cc \
  --ini_high 30 --dont_combine_weights_via_disc --pool 30 --pad 2 --ctf --particle_diameter 320 --flatten_solvent \
  --zero_mask --oversampling 1 --healpix_order 2 --auto_local_healpix_order 3 --offset_range 5 --offset_step 2 \
  --sym C1 --low_resol_join_halves 40 --norm --scale --j 1 >../relion/log.txt 2>&1 )
rt=$(echo "$(now) - $t0" | bc -l); echo "$rt" > "$dir/relion/seconds"
fi
t1=$(now)
./vitreous refine-3d --particles "$dir/real/particles.star" --reference "$truth" --output "$dir/vitreous" \
  --initial-lowpass 30 --particle-diameter 320 --device java >"$dir/vitreous.log" 2>&1
t2=$(now)
res() { ./vitreous fsc --map1 "$1" --map2 "$truth" | sed -n 's/.*FSC 0.143: \([^;]*\); FSC 0.5: \([^(]*\) (.*/\1 \/ \2/p' \
  | sed 's/beyond Nyquist ([0-9.]* Å)/Nyquist/g'; }
poses() { /usr/bin/python3 - "$dir/real/truth.star" "$1" <<'PY'
import math, sys
import numpy as np
def table(path):
    lines = open(path).read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == "data_particles")
    cols = [l.split()[0][1:] for l in lines[start:] if l.startswith("_rln")]
    return cols, [l.split() for l in lines[start:] if "@" in l]
def matrix(rot, tilt, psi):
    def rz(a): return np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    def ry(a): return np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])
    return rz(math.radians(psi)) @ ry(math.radians(tilt)) @ rz(math.radians(rot))
tc, truth = table(sys.argv[1]); rc, refined = table(sys.argv[2])
index = lambda row, cols: int(row[cols.index("rlnImageName")].split("@")[0])
by_image = {index(r, rc): r for r in refined}
angle = lambda row, cols: matrix(*[float(row[cols.index(c)]) for c in ("rlnAngleRot", "rlnAngleTilt", "rlnAnglePsi")])
errors = []
for t in truth:
    if t[tc.index("rlnIsJunk")] == "1": continue
    r = by_image[index(t, tc)]
    c = (np.trace(angle(t, tc).T @ angle(r, rc)) - 1) / 2
    errors.append(math.degrees(math.acos(max(-1.0, min(1.0, c)))))
errors = np.array(errors)
print("%.2f° / %.1f%%" % (np.median(errors), 100 * np.mean(errors > 20)))
PY
}
vt=$(echo "$t2 - $t1" | bc -l)
echo "| particles | RELION s | vitreous s | RELION / vitreous time | map vs truth FSC 0.143 / 0.5, RELION | map vs truth FSC 0.143 / 0.5, vitreous | genuine particles' median pose error / share > 20° off, RELION | the same, vitreous |"
echo "|---|---|---|---|---|---|---|---|"
printf "| %d | %.0f | %.0f | %.1f | %s | %s | %s | %s |\n" "$count" "$rt" "$vt" "$(echo "$rt / $vt" | bc -l)" \
  "$(res "$dir/relion/run_class001.mrc")" "$(res "$dir/vitreous/run_map.mrc")" "$(poses "$dir/relion/run_data.star")" \
  "$(poses "$dir/vitreous/run_data.star")"
