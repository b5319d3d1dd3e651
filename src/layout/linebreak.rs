//! Breaking styled text into lines: UAX #14 opportunities, first fit, ragged right.
//!
//! A word is never hyphenated when it fits on a line (plain-language guidance: do not split
//! words); a word wider than the line is cut at grapheme boundaries so nothing overflows.
//! Spaces stay in the text as real glyphs, so copied and extracted text keeps its words apart;
//! a line's trailing spaces do not count towards its width.

use std::ops::Range;
use std::sync::Arc;

use unicode_linebreak::BreakOpportunity;
use unicode_segmentation::UnicodeSegmentation;

use super::shape::{Shaped, Shaper};
use super::{Glyph, TextRun};
use crate::color::Color;
use crate::error::Error;
use crate::fonts::{Face, Weight};

/// Float noise must never move a break: a line may exceed its width by this much.
const FIT_TOLERANCE: f32 = 1e-3;

/// Text with weight changes, e.g. a bold lead followed by regular text.
#[derive(Debug, Clone, Default)]
pub struct Styled {
    /// The whole text.
    pub text: String,
    /// Consecutive, non-overlapping ranges covering `text`, each with its weight.
    pub runs: Vec<(Range<usize>, Weight)>,
}

impl Styled {
    /// Text in a single weight.
    pub fn plain(text: &str, weight: Weight) -> Styled {
        let mut s = Styled::default();
        s.push(text, weight);
        s
    }

    /// Appends text in a weight.
    pub fn push(&mut self, text: &str, weight: Weight) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        match self.runs.last_mut() {
            Some((r, w)) if *w == weight => r.end = self.text.len(),
            _ => self.runs.push((start..self.text.len(), weight)),
        }
    }
}

/// One piece of a line: a range of the text in one face, shaped.
struct Piece {
    range: Range<usize>,
    face: Face,
    shaped: Arc<Shaped>,
}

/// A break-free stretch of text ending at a break opportunity.
struct Segment {
    pieces: Vec<Piece>,
    /// Advance in em-at-size units (points).
    width: f32,
    /// Width of the trailing spaces, which may hang past the line end.
    trailing: f32,
    mandatory: bool,
}

/// A laid-out line: runs positioned from the line's left edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Runs with their x offset.
    pub runs: Vec<(f32, TextRun)>,
    /// Visible width (without trailing spaces).
    pub width: f32,
}

/// The size and colour a paragraph is set in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    /// The font size in points.
    pub size: f32,
    /// The text's colour.
    pub color: Color,
}

/// Breaks `text` in `ink` into lines no wider than `max_width`. `field` names the text's origin
/// for error messages. Layout breaks text through the engine's `LineCache`, which remembers
/// the results.
pub fn break_lines(
    shaper: &mut Shaper,
    text: &Styled,
    ink: Ink,
    max_width: f32,
    field: &str,
) -> Result<Vec<Line>, Error> {
    let Ink { size, color } = ink;
    let mut segments = Vec::new();
    let mut start = 0;
    // Danish sets a spaced dash ("alle – selvom"); a line must not begin with the dash, so
    // the break before it moves to the space after it.
    let dash_follows =
        |end: usize| text.text[..end].ends_with(' ') && text.text[end..].starts_with(['–', '—']);
    let opportunities = unicode_linebreak::linebreaks(&text.text)
        .filter(|&(end, o)| o == BreakOpportunity::Mandatory || !dash_follows(end));
    for (end, opportunity) in opportunities {
        // A line feed ends the line; it is not drawn (fonts have no glyph for it).
        let content_end = start + text.text[start..end].trim_end_matches(['\n', '\r']).len();
        let mandatory = opportunity == BreakOpportunity::Mandatory && end < text.text.len();
        if content_end > start {
            let seg = segment(shaper, text, start..content_end, size, field)?;
            segments.push(Segment { mandatory, ..seg });
        } else if mandatory {
            segments.push(Segment {
                pieces: Vec::new(),
                width: 0.0,
                trailing: 0.0,
                mandatory,
            });
        }
        start = end;
    }

    let mut lines: Vec<Vec<Piece>> = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut width = 0.0f32;
    for seg in segments {
        let visible = seg.width - seg.trailing;
        if !current.is_empty() && width + visible > max_width + FIT_TOLERANCE {
            lines.push(std::mem::take(&mut current));
            width = 0.0;
        }
        if current.is_empty() && visible > max_width + FIT_TOLERANCE {
            // Longer than a whole line: cut it, keep the last part open for what follows.
            let mut parts = split_long(shaper, text, &seg, size, max_width, field)?;
            let last = parts.pop().unwrap_or_default();
            lines.extend(parts);
            width = pieces_width(&last, size);
            current = last;
        } else {
            width += seg.width;
            current.extend(seg.pieces);
        }
        if seg.mandatory {
            lines.push(std::mem::take(&mut current));
            width = 0.0;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    Ok(lines
        .into_iter()
        .map(|pieces| build_line(text, pieces, size, color))
        .collect())
}

fn pieces_width(pieces: &[Piece], size: f32) -> f32 {
    pieces.iter().map(|p| p.shaped.advance * size).sum()
}

/// Shapes one segment, piece by weight run and font.
fn segment(
    shaper: &mut Shaper,
    text: &Styled,
    range: Range<usize>,
    size: f32,
    field: &str,
) -> Result<Segment, Error> {
    let mut pieces = Vec::new();
    for (run, weight) in &text.runs {
        let r = run.start.max(range.start)..run.end.min(range.end);
        if r.start >= r.end {
            continue;
        }
        for (sub, face, shaped) in shaper.shape_runs(*weight, &text.text[r.clone()], field)? {
            pieces.push(Piece {
                range: r.start + sub.start..r.start + sub.end,
                face,
                shaped,
            });
        }
    }
    let width = pieces_width(&pieces, size);
    let seg_text = &text.text[range.clone()];
    let trimmed = seg_text.trim_end();
    let trim_at = range.start + trimmed.len();
    let trailing: f32 = pieces
        .iter()
        .flat_map(|p| {
            p.shaped
                .glyphs
                .iter()
                .filter(move |g| p.range.start + g.cluster as usize >= trim_at)
        })
        .map(|g| g.advance * size)
        .sum();
    Ok(Segment {
        pieces,
        width,
        trailing,
        mandatory: false,
    })
}

/// Cuts a segment wider than the line at grapheme boundaries; every part but the last fills
/// a line of its own.
fn split_long(
    shaper: &mut Shaper,
    text: &Styled,
    seg: &Segment,
    size: f32,
    max_width: f32,
    field: &str,
) -> Result<Vec<Vec<Piece>>, Error> {
    let range = seg.pieces.first().map_or(0, |p| p.range.start)
        ..seg.pieces.last().map_or(0, |p| p.range.end);
    // Where each glyph starts in the text and how wide it is: the word is shaped once, and
    // each cut is estimated from these advances, then shaped exactly (linear, not quadratic,
    // in the word's length).
    let mut advances: Vec<(usize, f32)> = Vec::new();
    for piece in &seg.pieces {
        for g in &piece.shaped.glyphs {
            advances.push((piece.range.start + g.cluster as usize, g.advance * size));
        }
    }
    advances.sort_by_key(|&(pos, _)| pos);
    let bounds: Vec<usize> = text.text[range.clone()]
        .grapheme_indices(true)
        .map(|(i, g)| range.start + i + g.len())
        .collect();
    // Width of the text from the start of the word up to each grapheme boundary.
    let mut prefix = Vec::with_capacity(bounds.len());
    let (mut k, mut sum) = (0, 0.0f32);
    for &b in &bounds {
        while k < advances.len() && advances[k].0 < b {
            sum += advances[k].1;
            k += 1;
        }
        prefix.push(sum);
    }
    // A single grapheme wider than the line: nothing can make it fit.
    let too_wide = |at: &str| Error::DoesNotFit {
        field: None,
        what: field.to_string(),
        detail: format!("the character at '{at}' is wider than the line"),
    };
    let mut parts = Vec::new();
    let (mut start_byte, mut start_width) = (range.start, 0.0f32);
    let mut i = 0;
    while i < bounds.len() {
        // The last boundary whose estimated width still fits.
        let mut j = i;
        while j + 1 < bounds.len() && prefix[j + 1] - start_width <= max_width + FIT_TOLERANCE {
            j += 1;
        }
        if prefix[j] - start_width > max_width + FIT_TOLERANCE {
            return Err(too_wide(&text.text[start_byte..bounds[j]]));
        }
        if j + 1 == bounds.len() {
            parts.push(segment(shaper, text, start_byte..bounds[j], size, field)?.pieces);
            break;
        }
        // Shaped on its own the part may kern differently: step back until it fits.
        let mut part = segment(shaper, text, start_byte..bounds[j], size, field)?;
        while part.width - part.trailing > max_width + FIT_TOLERANCE && j > i {
            j -= 1;
            part = segment(shaper, text, start_byte..bounds[j], size, field)?;
        }
        if part.width - part.trailing > max_width + FIT_TOLERANCE {
            return Err(too_wide(&text.text[start_byte..bounds[j]]));
        }
        parts.push(part.pieces);
        start_byte = bounds[j];
        start_width = prefix[j];
        i = j + 1;
    }
    Ok(parts)
}

/// Joins a line's pieces into runs (one per change of face) with glyph ranges relative to each
/// run's own text.
fn build_line(text: &Styled, pieces: Vec<Piece>, size: f32, color: Color) -> Line {
    let mut runs: Vec<(f32, TextRun)> = Vec::new();
    let mut x = 0.0f32;
    for piece in pieces {
        let piece_text = &text.text[piece.range.clone()];
        let same = runs.last().is_some_and(|(_, r)| r.face == piece.face);
        if !same {
            runs.push((
                x,
                TextRun {
                    face: piece.face,
                    size,
                    color,
                    text: String::new(),
                    glyphs: Vec::new(),
                    width: 0.0,
                },
            ));
        }
        let run = &mut runs.last_mut().expect("a run was just pushed").1;
        let base = run.text.len();
        run.text.push_str(piece_text);
        let clusters = cluster_ends(&piece.shaped, piece_text.len());
        for (g, end) in piece.shaped.glyphs.iter().zip(clusters) {
            run.glyphs.push(Glyph {
                id: g.id,
                advance: g.advance,
                x_offset: g.x_offset,
                y_offset: g.y_offset,
                range: base + g.cluster as usize..base + end,
            });
        }
        run.width += piece.shaped.advance * size;
        x += piece.shaped.advance * size;
    }
    // Trailing spaces may span runs: a bold lead ending in a space, then a regular space.
    let mut trailing_spaces = 0.0f32;
    for (_, r) in runs.iter().rev() {
        let visible = r.text.trim_end().len();
        trailing_spaces += r
            .glyphs
            .iter()
            .filter(|g| g.range.start >= visible)
            .map(|g| g.advance * size)
            .sum::<f32>();
        if visible > 0 {
            break;
        }
    }
    Line {
        width: x - trailing_spaces,
        runs,
    }
}

/// The end byte of each glyph's cluster: the next larger cluster start, or the text's end.
fn cluster_ends(shaped: &Shaped, len: usize) -> Vec<usize> {
    shaped
        .glyphs
        .iter()
        .map(|g| {
            shaped
                .glyphs
                .iter()
                .map(|o| o.cluster as usize)
                .filter(|&c| c > g.cluster as usize)
                .min()
                .unwrap_or(len)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::shape::embedded_shaper;

    const BLACK: Color = Color(0, 0, 0);

    fn lines(text: &Styled, width: f32) -> Vec<Line> {
        let mut shaper = embedded_shaper();
        let ink = Ink {
            size: 13.0,
            color: BLACK,
        };
        break_lines(&mut shaper, text, ink, width, "test").unwrap()
    }

    fn line_text(l: &Line) -> String {
        l.runs.iter().map(|(_, r)| r.text.as_str()).collect()
    }

    #[test]
    fn breaks_between_words_and_keeps_spaces() {
        let t = Styled::plain(
            "Bliv ved med at bevæge dig. Start roligt og øg gradvist.",
            Weight::Regular,
        );
        let ls = lines(&t, 150.0);
        assert!(ls.len() > 2);
        let joined: String = ls.iter().map(line_text).collect();
        assert_eq!(joined, t.text, "no character is lost or added");
        for l in &ls {
            assert!(
                l.width <= 150.0 + FIT_TOLERANCE,
                "{} is {} wide",
                line_text(l),
                l.width
            );
            // Words are whole: every line ends at a space or the end.
            let s = line_text(l);
            assert!(s.ends_with(' ') || s.ends_with('.'), "{s:?}");
        }
    }

    #[test]
    fn no_line_begins_with_a_spaced_dash() {
        let t = Styled::plain(
            "Du kan godt løse mange opgaver – men ikke nødvendigvis alle – selvom du har ondt.",
            Weight::Regular,
        );
        let mut dash_ended_a_line = false;
        for width in (60..400).step_by(5) {
            let ls = lines(&t, width as f32);
            let joined: String = ls.iter().map(line_text).collect();
            assert_eq!(joined, t.text);
            for l in &ls {
                let s = line_text(l);
                assert!(!s.starts_with('–'), "{width}: {s:?}");
                dash_ended_a_line |= s.ends_with("– ");
            }
        }
        assert!(dash_ended_a_line, "the break moves after the dash");
    }

    /// First fit: every line takes words until the next would not fit, so no line but the
    /// last could have taken the next line's first word. A breaker that balances lines, or
    /// breaks early, fails this at some width.
    #[test]
    fn first_fit_fills_lines() {
        let mut shaper = embedded_shaper();
        let t = Styled::plain(
            "Bliv ved med at bevæge dig, også selvom det gør lidt ondt. Gå en kort tur hver \
             dag, og øg gradvist hvor langt du går. Nerverodspåvirkning går oftest over af sig \
             selv i løbet af nogle uger.",
            Weight::Regular,
        );
        // The breaker measures each word with its trailing space on its own (kerning stays
        // inside words), so the test measures the same way.
        let mut width_of = |s: &str| shaper.shape(Weight::Regular, s).advance * 13.0;
        let mut checked = 0;
        for max in (80..=420).step_by(20) {
            let max = max as f32;
            let ls = lines(&t, max);
            let texts: Vec<String> = ls.iter().map(line_text).collect();
            assert_eq!(texts.concat(), t.text);
            for (line, next) in texts.iter().zip(texts.iter().skip(1)) {
                let next_word = next.split_inclusive(' ').next().unwrap();
                let with_next: f32 = line
                    .split_inclusive(' ')
                    .chain([next_word.trim_end()])
                    .map(&mut width_of)
                    .sum();
                assert!(
                    with_next > max + FIT_TOLERANCE,
                    "at {max}: {next_word:?} ({with_next:.1} pt with it) would have fit on {line:?}"
                );
                checked += 1;
            }
            for l in &ls {
                assert!(l.width <= max + FIT_TOLERANCE, "{} over {max}", l.width);
            }
        }
        assert!(checked > 50, "only {checked} line ends checked");
    }

    #[test]
    fn overlong_word_is_cut_not_overflowing() {
        let word = "nerverodspåvirkningsundersøgelsesprogrammet".repeat(3);
        let t = Styled::plain(&format!("Se {word} her"), Weight::Bold);
        let ls = lines(&t, 120.0);
        let joined: String = ls.iter().map(line_text).collect();
        assert_eq!(joined, t.text);
        for l in &ls {
            assert!(l.width <= 120.0 + FIT_TOLERANCE);
        }
        assert!(ls.len() >= 4);
    }

    #[test]
    fn a_very_long_word_in_two_weights_is_cut_into_fitting_lines() {
        let mut t = Styled::default();
        t.push(&"æøåÆØÅé".repeat(300), Weight::Bold);
        t.push(&"nerverodspåvirkning".repeat(200), Weight::Regular);
        let ls = lines(&t, 90.0);
        let joined: String = ls.iter().map(line_text).collect();
        assert_eq!(joined, t.text, "nothing lost or added");
        assert!(ls.len() > 100);
        for l in &ls {
            assert!(l.width <= 90.0 + FIT_TOLERANCE, "{} wide", l.width);
        }
    }

    #[test]
    fn bold_lead_becomes_its_own_run() {
        let mut t = Styled::default();
        t.push("Forstå din smerte.", Weight::Bold);
        t.push(" Viden gør en forskel.", Weight::Regular);
        let ls = lines(&t, 1000.0);
        assert_eq!(ls[0].runs.len(), 2);
        assert_eq!(ls[0].runs[0].1.text, "Forstå din smerte.");
        assert_eq!(ls[0].runs[0].1.face, Face::main(Weight::Bold));
        let (x, second) = &ls[0].runs[1];
        assert!((x - ls[0].runs[0].1.width).abs() < 1e-3);
        assert_eq!(second.text, " Viden gør en forskel.");
        // Glyph ranges index the run's own text.
        let last = second.glyphs.last().unwrap();
        assert_eq!(&second.text[last.range.clone()], ".");
    }

    #[test]
    fn mandatory_break() {
        let t = Styled::plain("første linje\nanden linje", Weight::Regular);
        let ls = lines(&t, 1000.0);
        assert_eq!(ls.len(), 2);
    }

    #[test]
    fn trailing_space_does_not_count() {
        let t = Styled::plain("ord ", Weight::Regular);
        let ls = lines(&t, 1000.0);
        let full: f32 = ls[0].runs.iter().map(|(_, r)| r.width).sum();
        assert!(ls[0].width < full);
    }
}
