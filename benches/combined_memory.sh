#!/bin/sh
# Peak memory, time and size of `pjece batch --combined` (issue 14): a release build makes a
# combined duplex print file of ROWS handouts (default 20 000) from a generated export, under
# /usr/bin/time -v. Not a timed test: run it by hand, e.g.
#
#   benches/combined_memory.sh 20000
#   CLINIC=1 benches/combined_memory.sh 100000   # with the fixture clinic's logo and QR code
#   PJECE=target/release/pjece benches/combined_memory.sh   # an existing build
#   FROM=examples/patients.csv benches/combined_memory.sh   # that export's rows, repeated
#
# The separate handouts (about 30 KB each) and the combined file (about 8 KB a handout) go to a
# temporary directory under $TMPDIR, removed at the end; 100 000 rows need about 4 GB there.
set -eu

. "$(dirname "$0")/lib.sh"
rows=${1:-20000}
scratch combined
release_pjece

if [ -n "${FROM:-}" ]; then
    # The export's header, then its records (some span lines) repeated to about ROWS rows.
    records=$(awk 'NR > 1 && NF' "$FROM" | grep -c '^[^;]*;[^;]*;' || true)
    head -n 1 "$FROM" > "$work/rows.csv"
    i=0
    while [ "$i" -lt "$rows" ]; do
        tail -n +2 "$FROM"
        i=$((i + records))
    done > "$work/body.csv"
    cat "$work/body.csv" >> "$work/rows.csv"
    rows=$i
else
# Names with Danish letters (and one needing the fallback font), both regions and variants.
awk -v n="$rows" 'BEGIN {
    split("Søren Åse Bjørn Anna Mads Kirsten Jens Mette Ole Ærbø", first, " ")
    split("Ærø Øberg-Hansen Ødegård Ås Sørensen Jensen Nielsen Kjær Holm Nguyễn", last, " ")
    print "navn;region;variant"
    for (i = 0; i < n; i++) {
        printf "%s, %s;%s;%s\n", last[i % 10 + 1], first[int(i / 10) % 10 + 1],
            (i % 2 ? "nakke" : "lænd"), (i % 3 ? "fuld" : "kort")
    }
}' > "$work/rows.csv"
fi

clinic=--no-clinic
if [ "${CLINIC:-}" = 1 ]; then
    cp "$root/tests/fixtures/clinic.json" "$root/tests/fixtures/logo.png" "$work/"
    clinic="--clinic=$work/clinic.json"
fi

/usr/bin/time -v "$pjece" batch "$work/rows.csv" --out-dir "$work/out" \
    --combined "$work/all.pdf" --duplex --date 2026-11-26 --jobs 2 --quiet "$clinic" \
    > "$work/stdout" 2> "$work/time"
cat "$work/stdout"

bytes=$(wc -c < "$work/all.pdf")
peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
echo "rows:            $rows"
echo "peak RSS:        $((peak_kb / 1024)) MB"
echo "wall time:       $wall"
echo "combined file:   $((bytes / 1024)) KB, $((bytes / rows)) bytes a handout (fonts included)"
# qpdf reads the whole file into memory: beyond 20 000 handouts it needs gigabytes.
if [ "$rows" -gt 20000 ]; then
    echo "qpdf --check:    skipped (over 20 000 handouts)"
elif command -v qpdf > /dev/null; then
    qpdf --check "$work/all.pdf" > "$work/check" 2>&1 && echo "qpdf --check:    clean" \
        || { echo "qpdf --check:    FAILED"; tail -5 "$work/check"; exit 1; }
fi
