#!/usr/bin/env bash
# Motion correction (issue 17): `vitreous motion-correct` against `relion_run_motioncorr --use_own` on the same
# simulated movies (simulate-movies: ribosome particles in ice at 1.5 Å/px, 1 e/Å² per frame, about 9 px of drift,
# optionally a local field), 2 threads each. Prints Markdown rows: wall time, peak memory, and the RMS error of
# each program's whole-frame shifts against the truth; with patches also the RMS error of the whole field (whole
# frame plus local model) at the patch centres.
#   bench/motion-correct.sh [size] [movies] [frames] [patches] [local-px]
#   (default: 2048 px, 4 movies, 20 frames, 1 patch (whole frame), no local motion; needs relion)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
size=${1:-2048}; movies=${2:-4}; frames=${3:-20}; patches=${4:-1}; local=${5:-0}
command -v relion_run_motioncorr >/dev/null || { echo "relion_run_motioncorr not found (apt-get install relion)" >&2; exit 1; }
./vitreous --help >/dev/null
map="$root/../shared/data/relion/ribosome_b64.mrc"
dir="$root/target/bench-motion/${size}_${movies}_${frames}_${local}"; mkdir -p "$dir"
[ -f "$dir/sim/movies.star" ] || ./vitreous simulate-movies --map "$map" --output "$dir/sim" --movies "$movies" \
  --width "$size" --height "$size" --frames "$frames" --pixel-size 1.5 --particles $((size * size / 65536)) \
  --local-motion "$local" --seed 3 --device java >/dev/null
rm -rf "$dir/sim/relion" "$dir/vitreous"
relion_patch=$([ "$patches" -gt 1 ] && echo "$patches" || echo 1)
( cd "$dir/sim" && /usr/bin/time -f "%e %M" -o ../relion.time relion_run_motioncorr --i movies.star --o relion/ \
  --use_own --j 2 --bfactor 150 --patch_x "$relion_patch" --patch_y "$relion_patch" --dose_weighting \
  --dose_per_frame 1 --save_noDW >../relion.log 2>&1 ) || true
VITREOUS_JAVA_OPTS="-Dvitreous.threads=2" /usr/bin/time -f "%e %M" -o "$dir/vitreous.time" ./vitreous motion-correct \
  --movies "$dir/sim/movies.star" --output "$dir/vitreous" --patches "$patches" --dose-weighting \
  --dose-per-frame 1 >"$dir/vitreous.log" 2>&1
/usr/bin/python3 - "$dir" "$size" "$movies" "$frames" "$patches" "$local" <<'PY'
import glob, math, os, sys
d, size, movies, frames, patches, local = sys.argv[1], *map(int, sys.argv[2:6]), float(sys.argv[6])
def read(path):
    blocks, name, rows, cols = {}, None, [], []
    for line in open(path):
        t = line.split()
        if not t or t[0].startswith('#'): continue
        if t[0].startswith('data_'):
            if name: blocks[name] = (cols, rows)
            name, rows, cols = t[0][5:], [], []
        elif t[0] == 'loop_': pass
        elif t[0].startswith('_'):
            cols.append(t[0][1:])
            if len(t) > 1 and not t[1].startswith('#'): rows = [[*rows[0], t[1]]] if rows else [[t[1]]]
        else: rows.append(t)
    if name: blocks[name] = (cols, rows)
    return blocks
def motion(path):
    b = read(path)
    c, r = b['global_shift']
    sx = [float(x[c.index('rlnMicrographShiftX')]) for x in r]; sy = [float(x[c.index('rlnMicrographShiftY')]) for x in r]
    coeff = None
    if 'local_motion_model' in b:
        c2, r2 = b['local_motion_model']; v = [0.0] * 36
        for x in r2: v[int(x[c2.index('rlnMotionModelCoeffsIdx')])] = float(x[c2.index('rlnMotionModelCoeff')])
        coeff = (v[:18], v[18:])
    return sx, sy, coeff
def local_shift(coeff, z, x, y):
    if coeff is None: return 0.0, 0.0
    sp = [1, x, x * x, y, y * y, x * y]; out = []
    for c in coeff: out.append(sum(c[3 * i + a] * sp[i] * z ** (a + 1) for i in range(6) for a in range(3)))
    return out
def errors(folder):
    g, f, n, m = 0.0, 0.0, 0, 0
    for t in sorted(glob.glob(f'{d}/sim/truth/movie_*.star')):
        p = f'{folder}/Movies/' + os.path.basename(t)
        if not os.path.exists(p): return None
        tx, ty, tc = motion(t); ox, oy, oc = motion(p)
        for k in range(len(tx)):
            g += (tx[k] - ox[k]) ** 2 + (ty[k] - oy[k]) ** 2; n += 1
            for j in range(5):
                for i in range(5):
                    x, y = (i + 0.5) / 5 - 0.5, (j + 0.5) / 5 - 0.5
                    a, b = local_shift(tc, k, x, y), local_shift(oc, k, x, y)
                    f += (tx[k] + a[0] - ox[k] - b[0]) ** 2 + (ty[k] + a[1] - oy[k] - b[1]) ** 2; m += 1
    return math.sqrt(g / n), math.sqrt(f / m)
rt, rm = open(f'{d}/relion.time').read().split()[-2:]
vt, vm = open(f'{d}/vitreous.time').read().split()[-2:]
re, ve = errors(f'{d}/sim/relion'), errors(f'{d}/vitreous')
fmt = lambda e: 'failed' if e is None else f'{e[0]:.3f} px' + (f', field {e[1]:.3f} px' if patches > 1 else '')
print(f'| {movies} × {size}² × {frames}, {local:g} px local, {patches}×{patches} patches | {float(vt):.1f} s, '
      f'{int(vm) / 1024:.0f} MB | {float(rt):.1f} s, {int(rm) / 1024:.0f} MB | {float(rt) / float(vt):.2f}× | '
      f'{fmt(ve)} | {fmt(re)} |')
PY
