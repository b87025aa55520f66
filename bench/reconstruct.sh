#!/usr/bin/env bash
# Reconstruction with known poses: relion_reconstruct against `vitreous reconstruct` on identical stacks, in one
# run: wall time, peak memory and FSC against the truth of each.
#   bench/reconstruct.sh [count] [boxes...]        (default: 10000 particles; boxes 64 128)
# The map is ../shared/data/relion/ribosome_b64.mrc (6 Å/px); for box 128 it is Fourier-padded to 3 Å/px.
# Particles: SNR 0.05, CTF (defocus 1-2.5 µm), seed 1. Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
count=${1:-10000}; shift || true
boxes=("$@"); [ ${#boxes[@]} -eq 0 ] && boxes=(64 128)
command -v relion_reconstruct >/dev/null || { echo "relion_reconstruct not found (apt-get install relion)" >&2; exit 1; }
./vitreous --help >/dev/null
work="$root/target/bench-reconstruct"; mkdir -p "$work"
shared="$root/../shared/data/relion/ribosome_b64.mrc"
now() { date +%s.%N; }
peak() { awk '/Maximum resident/ {printf "%.2f", $6/1048576}' "$1"; }
echo "| box | particles | relion_reconstruct s | vitreous reconstruct s | relion / vitreous | peak GB relion / vitreous | FSC 0.143 vs truth relion / vitreous (Å) |"
echo "|---|---|---|---|---|---|---|"
for n in "${boxes[@]}"; do
  dir="$work/b${n}_${count}"; mkdir -p "$dir"
  if [ ! -f "$dir/map.mrc" ]; then
    /usr/bin/python3 - "$shared" "$dir/map.mrc" "$n" <<'PY'
import sys, numpy as np, mrcfile
src = mrcfile.read(sys.argv[1]).astype(np.float64); n = int(sys.argv[3]); m = src.shape[0]
f = np.fft.fftshift(np.fft.fftn(src)); out = np.zeros((n, n, n), complex); o = n // 2 - m // 2
out[o:o + m, o:o + m, o:o + m] = f
v = np.real(np.fft.ifftn(np.fft.ifftshift(out))) * (n / m) ** 3
with mrcfile.new(sys.argv[2], overwrite=True) as w:
    w.set_data(v.astype(np.float32)); w.voxel_size = 6.0 * m / n
PY
  fi
  [ -f "$dir/sim/particles.star" ] || ./vitreous simulate-particles --map "$dir/map.mrc" --count "$count" --snr 0.05 \
    --shift-sigma 6 --output "$dir/sim" --device java >/dev/null
  t0=$(now); ( cd "$dir/sim" && /usr/bin/time -v relion_reconstruct --i particles.star --o ../relion.mrc --ctf \
    >/dev/null 2>"$dir/relion.time" ); t1=$(now)
  /usr/bin/time -v ./vitreous reconstruct --particles "$dir/sim/particles.star" --output "$dir/vitreous.mrc" --ctf \
    --device java >/dev/null 2>"$dir/vitreous.time"; t2=$(now)
  rel=$(echo "$t1 - $t0" | bc -l); vit=$(echo "$t2 - $t1" | bc -l)
  r1=$(./vitreous fsc --map1 "$dir/relion.mrc" --map2 "$dir/map.mrc" | sed -n 's/.*FSC 0.143: \([0-9.]*\) Å.*/\1/p')
  r2=$(./vitreous fsc --map1 "$dir/vitreous.mrc" --map2 "$dir/map.mrc" | sed -n 's/.*FSC 0.143: \([0-9.]*\) Å.*/\1/p')
  [ -n "$r1" ] || r1="Nyquist"; [ -n "$r2" ] || r2="Nyquist"
  printf "| %d | %d | %.1f | %.1f | %.2f | %s / %s | %s / %s |\n" "$n" "$count" "$rel" "$vit" "$(echo "$rel / $vit" | bc -l)" \
    "$(peak "$dir/relion.time")" "$(peak "$dir/vitreous.time")" "$r1" "$r2"
done
