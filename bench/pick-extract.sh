#!/usr/bin/env bash
# Picking and extraction (issue 18) against RELION on the same simulated micrographs (simulate-movies: single-frame
# micrographs, 40 e/Å², ribosomes in ice, 1-2.5 µm defocus, 1.5 Å/px):
#   pick-particles --method log  against relion_autopick --LoG (same diameters, both at their default threshold,
#     both told the particles are light: simulate-movies makes them so, see MovieSimulation):
#     wall time, then precision, recall, F1, average precision and median centre error against the true centres
#     (picks matched one to one within a quarter of the smallest diameter, best figure of merit first);
#   extract-particles against relion_preprocess --extract (same micrographs, the true centres, box 256, normalised,
#     contrast inverted, edges filled as RELION fills them): wall time and peak memory (/usr/bin/time).
# Vitreous runs with 2 threads; RELION's programs run as one process (no MPI), as they run here.
#   bench/pick-extract.sh [size] [micrographs]   (default: 4096 px, 8)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
size=${1:-4096}; count=${2:-8}
./vitreous --help >/dev/null
map="$root/../shared/data/relion/ribosome_b64.mrc"
dir="$root/target/bench-pick/${size}_${count}"; mkdir -p "$dir"
[ -f "$dir/sim/movies.star" ] || ./vitreous simulate-movies --map "$map" --output "$dir/sim" --movies "$count" \
  --width "$size" --height "$size" --frames 1 --dose-per-frame 40 --jump 0 --creep 0 --pixel-size 1.5 \
  --particles $((size * size / 40000)) --defocus-min 10000 --defocus-max 25000 --seed 11 --device java >/dev/null
# micrographs as single images, a micrographs STAR with their CTF, and the true centres as coordinate files
/usr/bin/python3 - "$dir" <<'PY'
import sys, os, mrcfile, numpy as np
d = sys.argv[1]; os.makedirs(f'{d}/Micrographs', exist_ok=True); os.makedirs(f'{d}/Truth/Micrographs', exist_ok=True)
def blocks(path):
    out, name, cols = {}, None, []
    for line in open(path):
        t = line.split()
        if not t or t[0] == 'loop_' or t[0].startswith('#'): continue
        if t[0].startswith('data_'): name, cols = t[0][5:], []; out[name] = (cols, []); continue
        if t[0].startswith('_'): cols.append(t[0][1:]); continue
        out[name][1].append(dict(zip(cols, t)))
    return out
mic = lambda movie: 'Micrographs/' + os.path.basename(movie).replace('movie_', 'mic_').replace('.mrcs', '.mrc')
ctf = blocks(f'{d}/sim/truth/micrographs_ctf.star')
with open(f'{d}/micrographs.star', 'w') as f:
    oc, orows = ctf['optics']
    f.write('\ndata_optics\n\nloop_\n' + ''.join(f'_{c}\n' for c in oc + ['rlnMicrographPixelSize']))
    for r in orows: f.write(' '.join(r[c] for c in oc) + ' ' + r['rlnMicrographOriginalPixelSize'] + '\n')
    mc, mrows = ctf['micrographs']
    cols = ['rlnMicrographName'] + [c for c in mc if c != 'rlnMicrographMovieName']
    f.write('\ndata_micrographs\n\nloop_\n' + ''.join(f'_{c}\n' for c in cols))
    for r in mrows:
        f.write(' '.join([mic(r['rlnMicrographMovieName'])] + [r[c] for c in cols[1:]]) + '\n')
        out = f'{d}/' + mic(r['rlnMicrographMovieName'])
        if not os.path.exists(out):
            with mrcfile.open(f'{d}/sim/' + r['rlnMicrographMovieName']) as m, mrcfile.new(out) as o:
                o.set_data((m.data if m.data.ndim == 2 else m.data[0]).astype(np.float32)); o.voxel_size = float(orows[0]['rlnMicrographOriginalPixelSize'])
coords = {}
for r in blocks(f'{d}/sim/truth/particles.star')['particles'][1]:
    coords.setdefault(mic(r['rlnMicrographMovieName']), []).append((r['rlnCoordinateX'], r['rlnCoordinateY']))
with open(f'{d}/truth_coordinates.star', 'w') as f:
    f.write('\ndata_coordinate_files\n\nloop_\n_rlnMicrographName #1\n_rlnMicrographCoordinates #2\n')
    for name, xy in coords.items():
        star = 'Truth/' + name[:-4] + '_truth.star'
        with open(f'{d}/{star}', 'w') as g:
            g.write('\ndata_\n\nloop_\n_rlnCoordinateX #1\n_rlnCoordinateY #2\n' + ''.join(f'{x} {y}\n' for x, y in xy))
        f.write(f'{name} {star}\n')
PY
grep -q rlnMicrographPixelSize "$dir/micrographs.star" || { echo "micrographs.star lacks rlnMicrographPixelSize"; exit 1; }
timed() { # label, command...: wall seconds and peak resident MB into $dir/times
  local label=$1; shift
  /usr/bin/time -f "$label %e %M" -a -o "$dir/times" "$@" >"$dir/$label.log" 2>&1
}
rm -rf "$dir/times" "$dir/ours" "$dir/RelionPick" "$dir/extract_ours" "$dir/Relion"
cd "$dir"
timed pick_vitreous env VITREOUS_JAVA_OPTS="-Dvitreous.threads=2" "$root/vitreous" pick-particles \
  --micrographs micrographs.star --diameter-min 200 --diameter-max 300 --output ours --overviews false --invert true
timed pick_relion relion_autopick --i micrographs.star --odir RelionPick/ --pickname autopick --LoG \
  --LoG_diam_min 200 --LoG_diam_max 300 --shrink 0 --lowpass 20 --LoG_adjust_threshold 0 --LoG_upper_threshold 999 --Log_invert
timed extract_vitreous env VITREOUS_JAVA_OPTS="-Dvitreous.threads=2" "$root/vitreous" extract-particles \
  --micrographs micrographs.star --coordinates truth_coordinates.star --box 256 --invert-contrast true \
  --background-radius 96 --edge fill --output extract_ours
timed extract_relion relion_preprocess --i micrographs.star --coord_dir Truth/ --coord_suffix _truth.star \
  --part_dir Relion/ --part_star Relion/particles.star --extract --extract_size 256 --norm --bg_radius 96 \
  --invert_contrast
/usr/bin/python3 - "$dir" 200 1.5 <<'PY'
import sys, os, glob, statistics
d, dmin, px = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def rows(path):
    cols, out = [], []
    for line in open(path):
        t = line.split()
        if not t or t[0].startswith('data_') or t[0] == 'loop_' or t[0].startswith('#'): continue
        if t[0].startswith('_'): cols.append(t[0][1:]); continue
        out.append(dict(zip(cols, t)))
    return out
truth = {os.path.basename(p)[:-len('_truth.star')]: [(float(r['rlnCoordinateX']), float(r['rlnCoordinateY'])) for r in rows(p)]
         for p in glob.glob(f'{d}/Truth/Micrographs/*_truth.star')}
def score(folder):
    ranked, errors, n_true = [], [], 0
    for mic, t in truth.items():
        n_true += len(t)
        picks = sorted(((float(r.get('rlnAutopickFigureOfMerit', 0)), float(r['rlnCoordinateX']), float(r['rlnCoordinateY']))
                        for r in rows(f'{d}/{folder}/Micrographs/{mic}_autopick.star')), reverse=True)
        used = [False] * len(t)
        for s, x, y in picks:
            best, dist = -1, dmin / 4 / px
            for i, (tx, ty) in enumerate(t):
                e = ((x - tx) ** 2 + (y - ty) ** 2) ** 0.5
                if not used[i] and e <= dist: best, dist = i, e
            if best >= 0: used[best] = True; errors.append(dist)
            ranked.append((s, best >= 0))
    ranked.sort(key=lambda r: -r[0]); tp = ap = 0
    for i, (s, ok) in enumerate(ranked):
        if ok: tp += 1; ap += tp / (i + 1)
    p = tp / max(1, len(ranked)); r = tp / n_true
    return len(ranked), n_true, p, r, 2 * p * r / max(1e-12, p + r), ap / n_true, statistics.median(errors) if errors else float('nan')
times = {l.split()[0]: (float(l.split()[1]), int(l.split()[2]) / 1024) for l in open(f'{d}/times')}
print('| picker | wall time | picks / particles | precision | recall | F1 | average precision | median error |')
print('|---|---|---|---|---|---|---|---|')
for label, folder in (('Vitreous pick-particles (log)', 'ours'), ('relion_autopick --LoG', 'RelionPick')):
    n, t, p, r, f, ap, med = score(folder)
    key = 'pick_vitreous' if folder == 'ours' else 'pick_relion'
    print(f'| {label} | {times[key][0]:.1f} s | {n} / {t} | {p:.3f} | {r:.3f} | {f:.3f} | {ap:.3f} | {med:.2f} px |')
print(f'pick-particles / relion_autopick wall time: {times["pick_vitreous"][0] / times["pick_relion"][0]:.2f}')
print('| extraction | wall time | peak memory |')
print('|---|---|---|')
for key, label in (('extract_vitreous', 'Vitreous extract-particles'), ('extract_relion', 'relion_preprocess --extract')):
    print(f'| {label} | {times[key][0]:.1f} s | {times[key][1]:.0f} MB |')
print(f'extract-particles / relion_preprocess wall time: {times["extract_vitreous"][0] / times["extract_relion"][0]:.2f}')
PY
