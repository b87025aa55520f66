#!/usr/bin/env bash
# Reference-free SPA (issue 5) against RELION 3.1 on identical simulated particles of the ribosome map (64 px,
# 6 Å, SNR 0.05, shift sigma 6 Å, seed 1): wall time, peak memory and quality, side by side. Prints Markdown.
#   bench/reference-free.sh ab-initio [count]            (default 3000 particles)
#       vitreous ab-initio (its defaults) against relion_refine --denovo_3dref --sgd on the same schedule: 60
#       iterations (RELION: 20 initial, 30 in between, 10 final), batches 100 -> 200, 35 -> 20 Å, 15° sampling,
#       2 threads. RELION 3.1 GUI's own defaults (300 iterations, batches up to 500, to 15 Å) took 18 s an iteration
#       at the first, smallest batches here: over 2 h for the run.
#       quality: FSC 0.5 against the truth after superposition with both hands tried (vitreous fsc --superpose).
#       RELION_MAX_MINUTES=M stops RELION after M minutes (its last ten iterations, at 3.75°, took over 6 min each
#       here); its row then reports the last map it wrote (every 10 iterations) and when it wrote it.
#   bench/reference-free.sh class2d [count] [classes]    (default 9000 particles + 10% pure noise, K = 20)
#       vitreous classify-2d against relion_refine 2D (no --ref; 25 iterations, tau2_fudge 2, psi 12°, 2 threads),
#       both with the same K; quality: median spread of the true view directions within a class, and how many
#       of the noise images land in the lowest-scoring classes (bench/class_quality.py).
# Peak memory is the largest resident set (/usr/bin/time -v); the JVM's includes its heap as sized by default.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
part="${1:-ab-initio}"; shift || true
command -v relion_refine >/dev/null || { echo "relion_refine not found (apt-get install relion)" >&2; exit 1; }
py=/usr/bin/python3
$py -c "import numpy, mrcfile" || { echo "needs python3-mrcfile (apt-get install)" >&2; exit 1; }
./vitreous --help >/dev/null
truth="$root/../shared/data/relion/ribosome_b64.mrc"
now() { date +%s.%N; }
peak() { awk '/Maximum resident/ {printf "%.2f", $6/1048576}' "$1"; }
simulate() { # count folder
  [ -f "$2/particles.star" ] || ./vitreous simulate-particles --map "$truth" --count "$1" --snr 0.05 \
    --shift-sigma 6 --seed 1 --output "$2" --device java >/dev/null
}

if [ "$part" = ab-initio ]; then
  count=${1:-3000}
  dir="$root/target/bench-reference-free/ab-initio-$count"; mkdir -p "$dir"
  simulate "$count" "$dir/sim"
  rm -rf "$dir/relion" "$dir/vitreous"; mkdir -p "$dir/relion"
  t0=$(now)
  limit=${RELION_MAX_MINUTES:-0}
  stop=(); [ "$limit" -gt 0 ] && stop=(timeout "${limit}m")
  ( cd "$dir/sim" && /usr/bin/time -v "${stop[@]}" relion_refine --o ../relion/run --denovo_3dref --sgd --i particles.star \
    --sgd_ini_iter 20 --sgd_inbetween_iter 30 --sgd_fin_iter 10 --sgd_write_iter 10 --sgd_ini_resol 35 \
    --sgd_fin_resol 20 --sgd_ini_subset 100 --sgd_fin_subset 200 --ctf --K 1 --sym C1 --flatten_solvent --zero_mask \
    --dont_combine_weights_via_disc --pool 3 --pad 1 --skip_gridding --particle_diameter 320 --oversampling 1 \
    --healpix_order 1 --offset_range 6 --offset_step 2 --j 2 >../relion/log.txt 2>../relion/time.txt ) || \
    [ "$limit" -gt 0 ] || exit 1
  t1=$(now)
  /usr/bin/time -v ./vitreous ab-initio --particles "$dir/sim/particles.star" --output "$dir/vitreous" \
    --particle-diameter 320 --device java >"$dir/vitreous.log" 2>"$dir/vitreous.time"
  t2=$(now)
  relion_map=$(ls "$dir"/relion/run_it*_class001.mrc | sort | tail -1)
  relion_iteration=$(basename "$relion_map" | sed 's/run_it0*\([0-9]*\)_class001.mrc/\1/')
  relion_seconds=$(echo "$(stat -c %Y "$relion_map") - ${t0%.*}" | bc)
  fsc() { ./vitreous fsc --map1 "$truth" --map2 "$1" --superpose --output "$2" \
    | sed -n 's/.*FSC 0.5: \([0-9.]*\) Å.*superposed\( as its mirror image\)\?.*/\1 Å\2/p' \
    | sed 's/ as its mirror image/, mirrored/'; }
  rt=$(echo "$t1 - $t0" | bc -l); vt=$(echo "$t2 - $t1" | bc -l)
  echo "| particles | RELION SGD s (to its map of iteration N) | vitreous ab-initio s | RELION / vitreous time | peak GB RELION / vitreous | FSC 0.5 vs truth, RELION | FSC 0.5 vs truth, vitreous |"
  echo "|---|---|---|---|---|---|---|"
  printf "| %d | %.0f (%.0f, N = %d) | %.0f | %.2f | %s / %s | %s | %s |\n" "$count" "$rt" "$relion_seconds" \
    "$relion_iteration" "$vt" "$(echo "$relion_seconds / $vt" | bc -l)" "$(peak "$dir/relion/time.txt")" \
    "$(peak "$dir/vitreous.time")" "$(fsc "$relion_map" "$dir/relion_fsc.csv")" \
    "$(fsc "$dir/vitreous/initial_model.mrc" "$dir/vitreous_fsc.csv")"
elif [ "$part" = class2d ]; then
  count=${1:-9000}; classes=${2:-20}; junk=$((count / 9))
  dir="$root/target/bench-reference-free/class2d-$count"; mkdir -p "$dir"
  simulate "$count" "$dir/sim"
  # pure-noise images of the particles' own power, with the CTFs of real rows, appended to a copy of the STAR
  [ -f "$dir/sim/mixed.star" ] || $py bench/class_quality.py junk "$dir/sim/particles.star" "$junk" "$dir/sim/mixed.star"
  rm -rf "$dir/relion" "$dir/vitreous"; mkdir -p "$dir/relion"
  t0=$(now)
  ( cd "$dir/sim" && /usr/bin/time -v relion_refine --o ../relion/run --i mixed.star --K "$classes" --iter 25 \
    --tau2_fudge 2 --particle_diameter 320 --ctf --flatten_solvent --zero_mask --oversampling 1 --psi_step 12 \
    --offset_range 5 --offset_step 2 --norm --scale --dont_combine_weights_via_disc --pool 3 --pad 2 --j 2 \
    >../relion/log.txt 2>../relion/time.txt )
  t1=$(now)
  /usr/bin/time -v ./vitreous classify-2d --particles "$dir/sim/mixed.star" --output "$dir/vitreous" \
    --classes "$classes" --particle-diameter 320 >"$dir/vitreous.log" 2>"$dir/vitreous.time"
  t2=$(now)
  quality() { $py bench/class_quality.py score "$dir/sim/mixed.star" "$@"; }
  rt=$(echo "$t1 - $t0" | bc -l); vt=$(echo "$t2 - $t1" | bc -l)
  echo "| images (noise) | K | RELION Class2D s | vitreous classify-2d s | RELION / vitreous time | peak GB RELION / vitreous | RELION: median view spread; noise in lowest classes | vitreous: the same |"
  echo "|---|---|---|---|---|---|---|---|"
  printf "| %d (%d) | %d | %.0f | %.0f | %.2f | %s / %s | %s | %s |\n" $((count + junk)) "$junk" "$classes" "$rt" "$vt" \
    "$(echo "$rt / $vt" | bc -l)" "$(peak "$dir/relion/time.txt")" "$(peak "$dir/vitreous.time")" \
    "$(quality "$dir/relion/run_it025_data.star" "$dir/relion/run_it025_model.star")" \
    "$(quality "$dir/vitreous/particles.star" "$dir/vitreous/classes.star")"
else
  echo "usage: bench/reference-free.sh ab-initio [count] | class2d [count] [classes]" >&2; exit 2
fi
