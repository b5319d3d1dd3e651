#!/usr/bin/env sh
# Ready-to-run examples: builds pjece once, then writes four handouts and a batch into ./example-handouts.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
pjece=./target/release/pjece
out=example-handouts
mkdir -p "$out"

# The full lumbar handout with the patient's name, the therapist and a personal note.
$pjece build --region lumbar --patient "Søren Ærø" --therapist "Mette Kjær" \
  --date 2026-12-03 --note "Husk øvelserne morgen og aften. Vi ses torsdag." -o "$out/laend-fuld.pdf"

# The short (PIXI) neck handout.
$pjece build --region nakke --short --patient "Åse Øberg" --date 2026-12-03 -o "$out/nakke-kort.pdf"

# Only the advice the therapist picked; the red-flag box is always there.
$pjece build --region lumbar --advice hold-dig-aktiv,undgaa-inaktivitet,tag-ansvar \
  --date 2026-12-03 -o "$out/laend-udvalgte-raad.pdf"

# Everything except two pieces of advice and one section.
$pjece build --region cervical --omit smertestillende,aktiv-egenhaandtering,behandlingsmuligheder \
  --date 2026-12-03 -o "$out/nakke-uden-behandling.pdf"

# A batch from a spreadsheet export (semicolons, BOM, CRLF, Danish column names, as Excel writes it),
# with one combined PDF for the printer, each handout starting on a new sheet.
$pjece batch examples/patients.csv --out-dir "$out/batch" --date 2026-12-03 --combined "$out/batch-samlet.pdf" --duplex --force

echo "wrote the examples to $out/"
