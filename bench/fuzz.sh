#!/usr/bin/env bash
# Malformed inputs against every reader: bench/fuzz.sh [mutants per file] (default 40).
# Mutates each STAR, MRC, .tlt and PDB/mmCIF file of ../shared/data (seeded) and counts how each reader answers:
# accepted, refused naming the file, refused without naming it, accepted with non-finite values, internal error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B -o -DskipTests -pl plugins -am package >/dev/null 2>&1 || mvn -q -B -DskipTests -pl plugins -am package >/dev/null
java -cp "ops/target/classes:plugins/target/lib/*" bench/FuzzReaders.java "$root/../shared/data" "${1:-40}"
