#!/bin/sh
# Rebuilds the fallback fonts DejaVuSans-Fallback{,-Bold}.ttf: DejaVu Sans 2.37 (Debian's
# fonts-dejavu-core 2.37-6) cut down to what a name or note may need that Atkinson Hyperlegible
# Next lacks. Needs fontTools (pip install fonttools; made with 4.68.0).
#
# Kept: Basic Latin and Latin-1 (a cluster the main font cannot show is set wholly in the
# fallback, base letter included), Latin Extended-A/B, spacing modifier accents and ʻ ʼ,
# combining marks, Greek, Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Kazakh ...),
# Latin Extended Additional (Vietnamese) and general punctuation; the features that place
# marks (ccmp, locl, mark, mkmk) and kerning. Hinting is dropped: PDF viewers scale outlines.
#
# sha256 of the sources:
#   abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322  DejaVuSans.ttf
#   0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96  DejaVuSans-Bold.ttf
set -eu
src=${1:-/usr/share/fonts/truetype/dejavu}
here=$(dirname "$0")
for pair in DejaVuSans:DejaVuSans-Fallback DejaVuSans-Bold:DejaVuSans-Fallback-Bold; do
    python3 -m fontTools.subset "$src/${pair%%:*}.ttf" \
        --unicodes=U+0020-007E,U+00A0-024F,U+02B9-02DD,U+0300-036F,U+0370-03FF,U+0400-045F,U+0490-04FF,U+1E00-1EFF,U+2000-206F \
        --layout-features=ccmp,locl,mark,mkmk,kern \
        --no-hinting --drop-tables+=MATH,FFTM \
        --output-file="$here/${pair#*:}.ttf"
done
