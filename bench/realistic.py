#!/usr/bin/env python3
"""Make simulated particles look like real ones (issue 15, item 23): from noise-free CTF'd particles and their STAR
(written by `vitreous simulate-particles --snr 0`), write a stack and STAR with what real data has and the plain
simulation lacks:

- a per-particle intensity scale (log-normal, sd --scale-sd; real particles vary with ice thickness),
- coloured noise: the noise power falls with frequency as exp(-B k^2 / 4) towards a floor (--noise-b, --floor),
  scaled so the SNR over the box is --snr,
- junk: a fraction (--junk) of the images replaced by noise plus a random blob of the particle's size,
- CTF errors: each particle's STAR defocus off the true one by a Gaussian error of sd --defocus-error (Å).

The truth is kept in truth.star (the input STAR with a column rlnIsJunk). Seeded: the same arguments give the same
bytes. Needs Debian's python3-mrcfile.

  bench/realistic.py IN.star OUT_FOLDER [--snr 0.05] [--scale-sd 0.25] [--noise-b 200] [--floor 0.2]
                     [--junk 0.1] [--defocus-error 200] [--seed 1]
"""
import argparse
import os
import sys

import mrcfile
import numpy as np


def read_star(path):
    """The data_particles loop of a RELION 3.1 STAR as (header lines, columns, rows); other blocks kept as text."""
    lines = open(path).read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.strip() == "data_particles")
    head, columns, rows = lines[:start + 1], [], []
    i = start + 1
    while i < len(lines):
        l = lines[i].strip()
        if l.startswith("_"):
            columns.append(l.split()[0][1:])
        elif l and not l.startswith("loop_") and not l.startswith("#") and columns:
            rows.append(l.split())
        i += 1
    return head, columns, rows


def write_star(path, head, columns, rows):
    with open(path, "w") as f:
        f.write("\n".join(head) + "\n\nloop_\n")
        for k, c in enumerate(columns):
            f.write("_%s #%d\n" % (c, k + 1))
        for r in rows:
            f.write(" ".join(r) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("star")
    p.add_argument("out")
    p.add_argument("--snr", type=float, default=0.05)
    p.add_argument("--scale-sd", type=float, default=0.25)
    p.add_argument("--noise-b", type=float, default=200.0)
    p.add_argument("--floor", type=float, default=0.2)
    p.add_argument("--junk", type=float, default=0.1)
    p.add_argument("--defocus-error", type=float, default=200.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    head, columns, rows = read_star(a.star)
    name = columns.index("rlnImageName")
    stack = os.path.join(os.path.dirname(os.path.abspath(a.star)), rows[0][name].split("@", 1)[1])
    clean = mrcfile.read(stack).astype(np.float64)
    n = clean.shape[-1]
    pixel = float([l.split() for l in open(a.star).read().split("\n") if l.strip().startswith("opticsGroup")][0][5])
    # coloured noise: white noise filtered by sqrt of the spectrum shape
    ky = np.fft.fftfreq(n)[:, None] / pixel
    kx = np.fft.rfftfreq(n)[None, :] / pixel
    k2 = kx ** 2 + ky ** 2
    shape = np.sqrt(a.floor + (1 - a.floor) * np.exp(-a.noise_b * k2 / 4))
    signal_var = np.mean(np.var(clean.reshape(len(clean), -1), axis=1))
    os.makedirs(a.out, exist_ok=True)
    out = np.empty_like(clean, dtype=np.float32)
    junk = rng.random(len(clean)) < a.junk
    yy, xx = np.mgrid[0:n, 0:n] - n // 2
    for i in range(len(clean)):
        noise = np.fft.irfft2(np.fft.rfft2(rng.standard_normal((n, n))) * shape, s=(n, n))
        noise *= np.sqrt(signal_var / a.snr) / noise.std()
        if junk[i]:
            cx, cy = rng.normal(0, n / 8, 2)
            radius = n / 4 * (0.5 + rng.random())
            blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius ** 2)) * np.sqrt(signal_var) * 3
            out[i] = blob + noise
        else:
            out[i] = clean[i] * np.exp(rng.normal(0, a.scale_sd)) + noise
    stack_name = "particles.mrcs"
    with mrcfile.new(os.path.join(a.out, stack_name), overwrite=True) as m:
        m.set_data(out)
        m.voxel_size = pixel
    du, dv = columns.index("rlnDefocusU"), columns.index("rlnDefocusV")
    truth_rows, data_rows = [], []
    for i, r in enumerate(rows):
        t = list(r)
        t[name] = "%06d@%s" % (i + 1, stack_name)
        truth_rows.append(t + ["1" if junk[i] else "0"])
        e = rng.normal(0, a.defocus_error)
        d = list(t)
        d[du] = "%.6f" % (float(r[du]) + e)
        d[dv] = "%.6f" % (float(r[dv]) + e)
        data_rows.append(d)
    write_star(os.path.join(a.out, "truth.star"), head, columns + ["rlnIsJunk"], truth_rows)
    write_star(os.path.join(a.out, "particles.star"), head, columns, data_rows)
    print("wrote %d particles (%d junk) of %d px at SNR %.3g to %s" % (len(out), junk.sum(), n, a.snr, a.out))


if __name__ == "__main__":
    sys.exit(main())
