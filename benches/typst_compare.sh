#!/bin/sh
# pjece and Typst side by side on the same content (issue 14): one handout as a whole process,
# and a batch into separate files. Run it by hand on a quiet machine; it skips when `typst` or
# `hyperfine` is not on PATH (Typst is only a yardstick, never a dependency:
# `cargo install typst-cli --locked --root /tmp/typst` and PATH=/tmp/typst/bin:$PATH).
#
#   benches/typst_compare.sh          # 1 000 rows for the batch
#   ROWS=200 benches/typst_compare.sh
#   PJECE=target/release/pjece benches/typst_compare.sh   # an existing build
#   ROUNDS=5 RUNS=100 benches/typst_compare.sh  # the one-handout pair 5 times, a ratio each round
#
# The Typst document is the pjece handout's own text and headings (benches/handout_typ.py), in
# the same fonts, tagged for PDF/UA-1 (`--pdf-standard ua-1`). Typst's batch is one process per
# handout run two at a time (`xargs -P 2`), as pjece's batch runs two workers on two cores.
set -eu

. "$(dirname "$0")/lib.sh"
for tool in typst hyperfine python3 qpdf pdftotext; do
    if ! command -v "$tool" > /dev/null; then
        echo "skipped: $tool is not on PATH"
        exit 0
    fi
done
rows=${ROWS:-1000}
scratch typst
release_pjece
export XDG_CONFIG_HOME="$work/no-config"
"$pjece" build --region lumbar --date 2026-11-26 -o "$work/pjece.pdf"
python3 "$root/benches/handout_typ.py" "$work/pjece.pdf" > "$work/handout.typ"
typst_compile="typst compile --ignore-system-fonts --font-path $root/fonts --pdf-standard ua-1"
$typst_compile "$work/handout.typ" "$work/typst.pdf"
echo "pages: pjece $(qpdf --show-npages "$work/pjece.pdf"), Typst $(qpdf --show-npages "$work/typst.pdf")"
echo "size:  pjece $(wc -c < "$work/pjece.pdf") B, Typst $(wc -c < "$work/typst.pdf") B"

echo "== one handout, whole process"
# Typst's time moves with the machine more than pjece's: with ROUNDS, the pair is timed again
# each round (the two in turn), and each round's ratio is printed.
for round in $(seq 1 "${ROUNDS:-1}"); do
    hyperfine -N --warmup 10 --runs "${RUNS:-100}" --export-json "$work/one.json" \
        -n pjece "$pjece build --region lumbar --date 2026-11-26 -o $work/p.pdf" \
        -n typst "$typst_compile $work/handout.typ $work/t.pdf"
    python3 - "$work/one.json" "$round" << 'EOF'
import json, sys
one = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
p, t = one["pjece"]["median"], one["typst"]["median"]
print(f"round {sys.argv[2]}: pjece {p * 1000:.2f} ms, Typst {t * 1000:.2f} ms: {t / p:.2f}x")
EOF
done

echo "== batch of $rows handouts into separate files, 2 at a time"
awk -v n="$rows" 'BEGIN { print "navn;region"; for (i = 0; i < n; i++) printf "Patient %d;lænd\n", i }' \
    > "$work/rows.csv"
seq 1 "$rows" > "$work/seq"
hyperfine -N --warmup 1 --runs "${BATCH_RUNS:-3}" --export-json "$work/batch.json" \
    --prepare "rm -rf $work/out $work/tout" \
    -n pjece "$pjece batch $work/rows.csv --out-dir $work/out --date 2026-11-26 --jobs 2 --quiet" \
    -n typst "sh -c 'mkdir -p $work/tout && xargs -P 2 -I N $typst_compile $work/handout.typ $work/tout/N.pdf < $work/seq'"

python3 - "$work/one.json" "$work/batch.json" "$rows" << 'EOF'
import json, sys
one = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
batch = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
rows = int(sys.argv[3])
p, t = one["pjece"]["median"], one["typst"]["median"]
print(f"one handout (median wall): pjece {p * 1000:.1f} ms, Typst {t * 1000:.1f} ms: {t / p:.1f}x")
p, t = batch["pjece"]["median"], batch["typst"]["median"]
print(f"batch of {rows}: pjece {rows / p:.0f}/s, Typst {rows / t:.0f}/s: {t / p:.1f}x")
EOF
