#!/usr/bin/env bash
# Tomography benchmarks (issue 6), two parts; prints Markdown tables for docs/benchmarks.md.
#   bench/tomo.sh speed [sizes...]   WBP and SIRT against scikit-image's iradon and iradon_sart (default 128 256)
#   bench/tomo.sh table              PSNR, SSIM, VIF, missing-region FSC and wall time of WBP, SIRT, Fourier and
#                                    the coordinate network on spheres, shapes and a molecular map
# Needs Debian's python3-skimage and python3-mrcfile.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
part="${1:-speed}"; shift || true
mvn -q -B -DskipTests -pl plugins -am package >/dev/null
touch plugins/target/vitreous-plugins.jar
cp="ops/target/classes:plugins/target/lib/*"
py=/usr/bin/python3
$py -c "import skimage, mrcfile" || { echo "needs python3-skimage and python3-mrcfile (apt-get install)" >&2; exit 1; }

if [ "$part" = speed ]; then
  sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(128 256)
  echo "| size | WBP: vitreous s | iradon s | ratio | WBP PSNR vitreous / skimage | SIRT+ 10 it. vitreous s | iradon_sart 10 it. s | ratio | PSNR vitreous SIRT 10 / 50 it. / SART 10 it. |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for n in "${sizes[@]}"; do
    dir="$root/target/bench-tomo/$n"; rm -rf "$dir"; mkdir -p "$dir"
    out=$(java -cp "$cp" bench/TomoBench.java "$n" "$dir")
    $py - "$dir" "$n" "$out" <<'PY'
import sys, time, numpy as np, mrcfile
from skimage.transform import iradon, iradon_sart
d, n, ours = sys.argv[1], int(sys.argv[2]), dict(l.split() for l in sys.argv[3].strip().splitlines())
s = mrcfile.read(d + '/tilt_series.mrc').astype(np.float64)
truth = mrcfile.read(d + '/ground_truth.mrc').astype(np.float64)
theta = np.loadtxt(d + '/tilt_series.tlt')
scale = len(theta) * (theta[1] - theta[0]) / 180.0   # iradon's normalisation assumes 180 degrees
rng = truth.max() - truth.min()
psnr = lambda a, b: 10 * np.log10(rng ** 2 / np.mean((a - b) ** 2))
t = time.time(); w = np.stack([scale * iradon(s[:, y, :].T, theta=theta, filter_name='ramp', circle=True, output_size=n)
                              for y in range(n)], axis=1); tw = time.time() - t
# SART: 10 iterations on 16 evenly spaced slices, time scaled to all n (every slice is the same work)
rows = np.linspace(0, n - 1, 16).astype(int)
t = time.time(); sart = {}
for y in rows:
    r = None
    for i in range(10):
        r = iradon_sart(s[:, y, :].T, theta=theta, image=r, clip=(0, 1e9))
    sart[y] = r
ts = (time.time() - t) * n / len(rows)
sub = lambda v: np.stack([v[:, y, :] for y in rows])
sart_vol = np.stack([sart[y] for y in rows])
wbp = mrcfile.read(d + '/wbp.mrc'); s10 = mrcfile.read(d + '/sirt10.mrc'); s50 = mrcfile.read(d + '/sirt50.mrc')
print("| %d³ | %.2f | %.2f | **%.1f×** | %.2f / %.2f dB | %.2f | %.1f (16 slices × %d) | **%.1f×** | %.2f / %.2f / %.2f dB |" % (
    n, float(ours['wbp']), tw, tw / float(ours['wbp']), psnr(truth, wbp), psnr(truth, w), float(ours['sirt10']), ts, n // 16,
    ts / float(ours['sirt10']), psnr(sub(truth), sub(s10)), psnr(sub(truth), sub(s50)), psnr(sub(truth), sart_vol)))
PY
  done
  exit 0
fi

# table: 64 x 64 x 32 phantoms and a 64³ map of ubiquitin, SNR 10, ±60° in 2° steps
work="$root/target/bench-tomo/table"; rm -rf "$work"; mkdir -p "$work"
./vitreous simulate-map --model "$root/../shared/data/models/1ubq.pdb" --pixel-size 1 --box 64 --b-factor 20 \
  --output "$work/ubq.mrc" >/dev/null
cn_budget=(--network-width 32 --hidden-layers 3 --features 32 --first-steps 400 --later-steps 150 --slab-rows 8)
echo "| data | method | PSNR dB | SSIM | VIF | FSC measured | FSC missing | wall s |"
echo "|---|---|---|---|---|---|---|---|"
for data in spheres shapes molecule; do
  dir="$work/$data"
  if [ "$data" = molecule ]; then
    ./vitreous simulate-tilt-series --volume "$work/ubq.mrc" --snr 10 --output "$dir" >/dev/null; nz=64
  else
    ./vitreous simulate-tilt-series --phantom "$data" --size 64 --thickness 32 --snr 10 --output "$dir" >/dev/null; nz=32
  fi
  for method in wbp sirt fourier cn; do
    extra=(); [ "$method" = sirt ] && extra=(--iterations 50 --positivity true); [ "$method" = cn ] && extra=("${cn_budget[@]}")
    t0=$(date +%s.%N)
    ./vitreous reconstruct-tomogram --tilt-series "$dir/tilt_series.mrc" --angles "$dir/tilt_series.tlt" --method "$method" \
      --thickness "$nz" --device java --output "$dir/$method.mrc" "${extra[@]}" >/dev/null
    t1=$(date +%s.%N)
    ./vitreous compare-volumes --reference "$dir/ground_truth.mrc" --volume "$dir/$method.mrc" --angles "$dir/tilt_series.tlt" \
      --output "$dir/$method.json" >/dev/null
    $py - "$dir/$method.json" "$data" "$method" "$(echo "$t1 - $t0" | bc -l)" <<'PY'
import sys, json
d = json.load(open(sys.argv[1]))
print("| %s | %s | %.2f | %.3f | %.3f | %.3f | %.3f | %.1f |" % (sys.argv[2], sys.argv[3] + (" (50 it., positivity)" if sys.argv[3] == "sirt" else ""),
      d['psnr'], d['ssim'], d['vif'], d['fsc_measured_mean'], d['fsc_missing_mean'], float(sys.argv[4])))
PY
  done
done
