#!/usr/bin/python3
"""2D classification quality for bench/reference-free.sh, the same for any program's output.

  class_quality.py junk particles.star COUNT mixed.star
      appends COUNT images of pure Gaussian noise, of the particles' own variance (junk.mrcs beside the STAR), with
      the CTFs of randomly chosen real rows, to a copy of the STAR (junk rows last).
  class_quality.py score mixed.star classified.star classes.star
      prints "median view spread S°; N of J noise images in the lowest classes":
      S: over classes of at least 10 real members, the median of each class's median angle between its members'
         true view directions (from mixed.star) and their mean direction;
      N: noise images in the lowest-scoring classes that together hold as many images as there are noise images.
         The class score is Vitreous's rlnClassScore where classes.star has it, else 1 / rlnEstimatedResolution
         (RELION's model.star: noise classes reach no resolution).
Rows are matched by image: index and stack file name.
"""
import os
import sys

import mrcfile
import numpy as np


def read_table(path, block):
    """Columns and rows of the loop in data_<block>."""
    columns, rows, inside = [], [], False
    for line in open(path):
        s = line.strip()
        if s.startswith('data_'):
            inside = s == 'data_' + block
            continue
        if not inside or not s or s.startswith('#') or s == 'loop_':
            continue
        if s.startswith('_'):
            columns.append(s.split()[0][1:])
        else:
            fields = s.split()
            if len(fields) == len(columns):
                rows.append(fields)
    if not columns:
        sys.exit(f'{path}: no data_{block} table')
    return columns, rows


def key(name):
    index, stack = name.split('@')
    return int(index), os.path.basename(stack)


def junk(star, count, out):
    folder = os.path.dirname(os.path.abspath(star))
    columns, rows = read_table(star, 'particles')
    stack = os.path.join(folder, rows[0][columns.index('rlnImageName')].split('@')[1])
    with mrcfile.mmap(stack, permissive=True) as m:
        sample = np.asarray(m.data[:200], dtype=np.float64)
    sigma = np.sqrt(np.mean(np.var(sample.reshape(len(sample), -1), axis=1)))
    rng = np.random.default_rng(99)
    n = sample.shape[-1]
    with mrcfile.new(os.path.join(folder, 'junk.mrcs'), overwrite=True) as m:
        m.set_data(rng.normal(0, sigma, (count, n, n)).astype(np.float32))
        m.set_image_stack()
        m.voxel_size = 6.0
    text = open(star).read().rstrip() + '\n'  # RELION ends a loop at a blank line
    image, angles = columns.index('rlnImageName'), [columns.index(c) for c in ('rlnAngleRot', 'rlnAngleTilt', 'rlnAnglePsi')]
    offsets = [columns.index(c) for c in ('rlnOriginXAngst', 'rlnOriginYAngst') if c in columns]
    for i in range(count):
        row = list(rows[rng.integers(len(rows))])
        row[image] = f'{i + 1:06d}@junk.mrcs'
        for c in angles + offsets:
            row[c] = '0'
        text += ' '.join(row) + '\n'
    with open(out + '.part', 'w') as f:
        f.write(text)
    os.replace(out + '.part', out)


def score(mixed, classified, classes):
    c1, r1 = read_table(mixed, 'particles')
    truth = {key(r[c1.index('rlnImageName')]): r for r in r1}
    c2, r2 = read_table(classified, 'particles')
    cm, rm = read_table(classes, 'model_classes')
    number = lambda r: int(r[cm.index('rlnReferenceImage')].split('@')[0])
    if 'rlnClassScore' in cm:
        class_score = {number(r): float(r[cm.index('rlnClassScore')]) for r in rm}
    else:
        class_score = {number(r): 1 / max(1e-6, float(r[cm.index('rlnEstimatedResolution')])) for r in rm}
    directions, labels, junk_labels = [], [], []
    for r in r2:
        k = int(r[c2.index('rlnClassNumber')])
        index, stack = key(r[c2.index('rlnImageName')])
        if stack == 'junk.mrcs':
            junk_labels.append(k)
            continue
        t = truth[(index, stack)]
        rot, tilt = np.radians(float(t[c1.index('rlnAngleRot')])), np.radians(float(t[c1.index('rlnAngleTilt')]))
        directions.append([np.sin(tilt) * np.cos(rot), np.sin(tilt) * np.sin(rot), np.cos(tilt)])
        labels.append(k)
    directions, labels, junk_labels = np.array(directions), np.array(labels), np.array(junk_labels)
    spreads = []
    for k in sorted(set(labels)):
        v = directions[labels == k]
        if len(v) < 10:
            continue
        mean = v.sum(0) / np.linalg.norm(v.sum(0))
        spreads.append(np.median(np.degrees(np.arccos(np.clip(v @ mean, -1, 1)))))
    covered = caught = 0
    for k in sorted(class_score, key=class_score.get):
        if covered >= len(junk_labels):
            break
        covered += np.sum(labels == k) + np.sum(junk_labels == k)
        caught += np.sum(junk_labels == k)
    print(f'median view spread {np.median(spreads):.1f}°; {caught} of {len(junk_labels)} noise images in the lowest classes')


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == 'junk':
        junk(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == 'score':
        score(*sys.argv[2:])
    else:
        sys.exit(__doc__)
