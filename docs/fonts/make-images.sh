#!/bin/sh
# Renders the before/after pictures of docs/fonts.md: the same handout set once with the original
# Atkinson Hyperlegible Next (slashed zero) and once with pjece's embedded fonts (open zero).
# Usage: docs/fonts/make-images.sh ORIGINALS, where ORIGINALS is the unpacked npm package
# @expo-google-fonts/atkinson-hyperlegible-next 0.4.1 (see fonts/make-open-zero.py).
# Needs a built pjece (cargo build) and poppler-utils.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
pjece=$root/target/debug/pjece
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/original"
cp "$1/400Regular/AtkinsonHyperlegibleNext_400Regular.ttf" "$tmp/original/regular.ttf"
cp "$1/700Bold/AtkinsonHyperlegibleNext_700Bold.ttf" "$tmp/original/bold.ttf"
note="0 O Ø o ø · 8000 Aarhus C · kl. 10.30 · I l 1 · æøå ÆØÅ"
for which in before after; do
    fonts=""
    [ "$which" = before ] && fonts="--fonts $tmp/original"
    # shellcheck disable=SC2086 # $fonts is two words or none
    "$pjece" build --region lumbar --date 2026-11-26 --clinic "$root/examples/clinic.json" \
        --note "$note" $fonts -o "$tmp/$which.pdf"
    # The note (regular) and the red-flag box's phone number (bold), at 200 dpi: the line's top
    # is found with pdftotext -bbox (the words "ÆØÅ" and "70"), the left edge is the column's.
    pdftotext -bbox -f 1 -l 1 "$tmp/$which.pdf" "$tmp/$which.html"
    top() { # pixels at 200 dpi of the first word $1's yMin, less 1 pt
        sed -n "s/.*yMin=\"\([0-9.]*\)\".*>$1<\/word>.*/\1/p" "$tmp/$which.html" |
            head -1 | awk '{ printf "%d", ($1 - 1) * 200 / 72 }'
    }
    pdftoppm -r 200 -gray -png -singlefile -f 1 -l 1 -x 220 -y "$(top 'ÆØÅ')" -W 960 -H 54 \
        "$tmp/$which.pdf" "$here/note-$which"
    pdftoppm -r 200 -gray -png -singlefile -f 1 -l 1 -x 220 -y "$(top 70)" -W 600 -H 54 \
        "$tmp/$which.pdf" "$here/phone-$which"
done
