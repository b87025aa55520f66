#!/usr/bin/env bash
# CTF estimation (issue 17): `vitreous estimate-ctf` against the truth of simulated micrographs (simulate-movies:
# single-frame micrographs (40 e/Å²), ribosome particles in ice, 0.5-3 µm defocus, up to 1500 Å astigmatism, pixel sizes 1.0,
# 1.25 and 1.5 Å in turn), 2 threads. No CTFFIND is installable here, so the truth is the reference. Prints one
# Markdown row per pixel size and a total: micrographs with the mean defocus within max(50 Å, 1%), the
# astigmatism within 50 Å, the angle within 5° (where the astigmatism is at least 500 Å); the median and largest
# errors; seconds per micrograph.
#   bench/estimate-ctf.sh [size] [micrographs per pixel size]   (default: 4096 px, 4)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
size=${1:-4096}; count=${2:-4}
./vitreous --help >/dev/null
map="$root/../shared/data/relion/ribosome_b64.mrc"
for px in 1.0 1.25 1.5; do
  dir="$root/target/bench-ctf/${size}_${count}_${px}"; mkdir -p "$dir"
  [ -f "$dir/sim/movies.star" ] || ./vitreous simulate-movies --map "$map" --output "$dir/sim" --movies "$count" \
    --width "$size" --height "$size" --frames 1 --dose-per-frame 40 --jump 0 --creep 0 --pixel-size "$px" \
    --particles $((size / 64)) --defocus-min 5000 --defocus-max 30000 --astigmatism 1500 --seed 7 \
    --device java >/dev/null
  rm -rf "$dir/ctf"
  start=$(date +%s.%N)
  VITREOUS_JAVA_OPTS="-Dvitreous.threads=2" ./vitreous estimate-ctf --micrographs "$dir/sim/Movies/*.mrcs" \
    --output "$dir/ctf" --pixel-size "$px" >"$dir/ctf.log" 2>&1
  end=$(date +%s.%N)
  echo "$px $(echo "$end - $start" | bc)" > "$dir/seconds"
done
/usr/bin/python3 - "$root/target/bench-ctf" "$size" "$count" <<'PY'
import glob, os, statistics, sys
base, size, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def table(path, block):
    cols, rows, inside = [], [], False
    for line in open(path):
        t = line.split()
        if not t: continue
        if t[0].startswith('data_'): inside = t[0] == 'data_' + block; continue
        if not inside or t[0] == 'loop_' or t[0].startswith('#'): continue
        if t[0].startswith('_'): cols.append(t[0][1:].split()[0])
        else: rows.append(dict(zip(cols, t)))
    return rows
total = [0, 0, 0, 0, 0]; allerr = []
for px in ('1.0', '1.25', '1.5'):
    d = f'{base}/{size}_{count}_{px}'
    truth = {os.path.basename(r['rlnMicrographMovieName']).split('.')[0]: r for r in table(f'{d}/sim/truth/micrographs_ctf.star', 'micrographs')}
    found = {os.path.basename(r['rlnMicrographName']).split('.')[0]: r for r in table(f'{d}/ctf/micrographs_ctf.star', 'micrographs')}
    ok = [0, 0, 0, 0]; errs = []
    for name, t in truth.items():
        e = found.get(name)
        if e is None: errs.append((None, None, None)); continue
        tu, tv, ta = float(t['rlnDefocusU']), float(t['rlnDefocusV']), float(t['rlnDefocusAngle'])
        eu, ev, ea = float(e['rlnDefocusU']), float(e['rlnDefocusV']), float(e['rlnDefocusAngle'])
        dm = abs((tu + tv) / 2 - (eu + ev) / 2); da = abs((tu - tv) - (eu - ev))
        dang = abs(ta - ea) % 180; dang = min(dang, 180 - dang)
        okm, oka, okang = dm <= max(50, 0.01 * (tu + tv) / 2), da <= 50, (tu - tv) < 500 or dang <= 5
        ok[0] += okm; ok[1] += oka; ok[2] += okang; ok[3] += okm and oka and okang
        errs.append((dm, da, dang if tu - tv >= 500 else None))
    secs = float(open(f'{d}/seconds').read().split()[1]) / len(truth)
    good = [e for e in errs if e[0] is not None]
    med = lambda k: statistics.median([e[k] for e in good if e[k] is not None] or [0])
    mx = lambda k: max([e[k] for e in good if e[k] is not None] or [0])
    print(f'| {px} Å/px, {len(truth)} × {size}² | mean {ok[0]}/{len(truth)}, astigmatism {ok[1]}, angle {ok[2]}, all {ok[3]} | '
          f'median {med(0):.0f} / {med(1):.0f} Å / {med(2):.1f}°; largest {mx(0):.0f} / {mx(1):.0f} Å / {mx(2):.1f}° | '
          f'{secs:.1f} s (incl. start) |')
    for i in range(4): total[i] += ok[i]
    total[4] += len(truth)
print(f'| all | mean {total[0]}/{total[4]}, astigmatism {total[1]}, angle {total[2]}, all {total[3]} | | |')
PY
