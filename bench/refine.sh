#!/usr/bin/env bash
# 3D refinement: RELION 3.1 auto-refine (relion_refine_mpi, 3 ranks: a master and two half-set workers, one
# thread each, which is what 2 cores fit) against `vitreous refine-3d` on identical particles, from the same map
# low-passed to 30 Å: wall time, peak memory, the resolution each claims (FSC 0.143 of its half maps) and the
# resolution of each final map against the truth.
#   bench/refine.sh [count] [--refresh-peer]      (default: 2000 particles of box 64)
# RELION starts local searches at 7.5° (--auto_local_healpix_order 3, not its default 4): with the default, its
# global search at 7.5° (36,864 orientations x 196 translations a particle) was estimated at 1.2 h an iteration here.
# --refresh-peer copies RELION's map and the stack's SHA-256 into ops/src/test/resources/relion-refine/, which
# RefineTest compares against (the test simulates the same stack: seed 1, SNR 0.05, shift sigma 6 Å).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
count=${1:-2000}; refresh=${2:-}
command -v relion_refine_mpi >/dev/null || { echo "relion_refine_mpi not found (apt-get install relion)" >&2; exit 1; }
./vitreous --help >/dev/null
truth="$root/../shared/data/relion/ribosome_b64.mrc"
dir="$root/target/bench-refine/$count"; mkdir -p "$dir"
now() { date +%s.%N; }
[ -f "$dir/sim/particles.star" ] || ./vitreous simulate-particles --map "$truth" --count "$count" --snr 0.05 \
  --shift-sigma 6 --seed 1 --output "$dir/sim" --device java >/dev/null
( cd "$dir" && relion_image_handler --i "$truth" --o ref30.mrc --lowpass 30 >/dev/null )
rm -rf "$dir/relion" "$dir/vitreous"; mkdir -p "$dir/relion"
# The master rank only waits: let it yield its core instead of busy-polling, so two workers fit two cores.
export OMPI_MCA_mpi_yield_when_idle=1
t0=$(now)
( cd "$dir/sim" && /usr/bin/time -v mpirun --allow-run-as-root --oversubscribe -np 3 relion_refine_mpi \
  --o ../relion/run --auto_refine --split_random_halves --i particles.star --ref ../ref30.mrc --firstiter_cc \
  --ini_high 30 --dont_combine_weights_via_disc --pool 30 --pad 2 --ctf --particle_diameter 320 --flatten_solvent \
  --zero_mask --oversampling 1 --healpix_order 2 --auto_local_healpix_order 3 --offset_range 5 --offset_step 2 \
  --sym C1 --low_resol_join_halves 40 --norm --scale --j 1 >../relion/log.txt 2>../relion/time.txt )
t1=$(now)
/usr/bin/time -v ./vitreous refine-3d --particles "$dir/sim/particles.star" --reference "$truth" --output "$dir/vitreous" \
  --initial-lowpass 30 --particle-diameter 320 --device java >"$dir/vitreous.log" 2>"$dir/vitreous.time"
t2=$(now)
peak() { awk '/Maximum resident/ {s+=$6} END {printf "%.2f", s/1048576}' "$1"; }
# the FSC 0.143 and 0.5 crossings against the truth ("Nyquist" where the curve never falls below)
res() { ./vitreous fsc --map1 "$1" --map2 "$truth" | sed -n 's/.*FSC 0.143: \([^;]*\); FSC 0.5: \([^(]*\) (.*/\1 \/ \2/p' \
  | sed 's/beyond Nyquist ([0-9.]* Å)/Nyquist/g'; }
relion_claim=$(grep -a "Final resolution" "$dir/relion/log.txt" | tail -1 | awk '{print $NF}')
vit_claim=$(sed -n 's/.*Resolution: \([0-9.]*\) Å.*/\1/p' "$dir/vitreous.log")
rt=$(echo "$t1 - $t0" | bc -l); vt=$(echo "$t2 - $t1" | bc -l)
echo "| particles | RELION auto-refine s | vitreous refine-3d s | RELION / vitreous time | peak GB RELION (3 ranks) / vitreous | half-map FSC 0.143 RELION / vitreous (Å) | map vs truth FSC 0.143 / 0.5, RELION | map vs truth FSC 0.143 / 0.5, vitreous |"
echo "|---|---|---|---|---|---|---|---|"
printf "| %d | %.0f | %.0f | %.2f | %s / %s | %s / %s | %s | %s |\n" "$count" "$rt" "$vt" "$(echo "$rt / $vt" | bc -l)" \
  "$(peak "$dir/relion/time.txt")" "$(peak "$dir/vitreous.time")" "$relion_claim" "$vit_claim" \
  "$(res "$dir/relion/run_class001.mrc")" "$(res "$dir/vitreous/run_map.mrc")"
if [ "$refresh" = "--refresh-peer" ]; then
  peer="$root/ops/src/test/resources/relion-refine"; mkdir -p "$peer"
  cp "$dir/relion/run_class001.mrc" "$peer/run_class001.mrc"
  sha256sum "$dir/sim/particles.mrcs" | cut -d' ' -f1 > "$peer/particles.sha256"
  echo "refreshed $peer" >&2
fi
