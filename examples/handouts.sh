#!/usr/bin/env sh
# Ready-to-run examples: builds pjece once, then writes eight handouts and a batch into
# ./example-handouts. PJECE=path/to/pjece uses that binary instead of a release build and
# OUT=DIR writes elsewhere (CI runs the checkers over the debug build's handouts this way).
set -eu
cd "$(dirname "$0")/.."
if [ -z "${PJECE:-}" ]; then
  cargo build --release --quiet
fi
pjece=${PJECE:-./target/release/pjece}
out=${OUT:-example-handouts}
mkdir -p "$out"

# The full lumbar handout with the patient's name, the therapist and a personal note.
$pjece build --region lumbar --patient "Søren Ærø" --therapist "Mette Kjær" \
  --date 2026-12-03 --note "Husk øvelserne morgen og aften. Vi ses torsdag." -o "$out/laend-fuld.pdf"

# The short (PIXI) handouts, neck and low back.
$pjece build --region nakke --short --patient "Åse Øberg" --date 2026-12-03 -o "$out/nakke-kort.pdf"
$pjece build --region lænd --short --date 2026-12-03 -o "$out/laend-kort.pdf"

# Only the advice the therapist picked; the red-flag box is always there.
$pjece build --region lumbar --advice hold-dig-aktiv,undgaa-inaktivitet,tag-ansvar \
  --date 2026-12-03 -o "$out/laend-udvalgte-raad.pdf"

# Everything except two pieces of advice and one section.
$pjece build --region cervical --omit smertestillende,aktiv-egenhaandtering,behandlingsmuligheder \
  --date 2026-12-03 -o "$out/nakke-uden-behandling.pdf"

# The clinic's own handout for one patient: logo, address and accent colour, the region's
# out-of-hours number in the red-flag box, goals, a fill-in progression ladder, the next
# appointment and a QR code to the exercise page the profile names (qr_url).
$pjece build --region lumbar --clinic examples/clinic.json --patient "Søren Ærø" --therapist "Mette Kjær" \
  --date 2026-12-03 --goal "Gå en tur på 30 minutter hver dag" --goal "Tilbage på arbejde i januar" \
  --ladder --next "2026-12-10 10:30" -o "$out/laend-klinik-personlig.pdf"

# Large print (16 pt body text) of the short neck handout.
$pjece build --region cervical --short --large-print --date 2026-12-03 -o "$out/nakke-stor-skrift.pdf"

# The therapist's conversation guide: the guideline's therapist-only parts and the advice ids.
$pjece build --region lumbar --audience therapist --date 2026-12-03 -o "$out/samtaleguide-laend.pdf"

# A batch from a spreadsheet export (semicolons, BOM, CRLF, Danish column names, as Excel writes it),
# with one combined PDF for the printer, each handout starting on a new sheet.
$pjece batch examples/patients.csv --out-dir "$out/batch" --date 2026-12-03 --combined "$out/batch-samlet.pdf" --duplex --force

echo "wrote the examples to $out/"
