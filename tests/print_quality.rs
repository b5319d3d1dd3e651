//! Print and reading quality seen on the printed page: the zero is open (a slashed zero reads as
//! the Danish letter Ø), checked in pixels of the rendered PDF; ranges keep their en dash in the
//! text a reader or screen reader gets back.

mod util;

use std::path::Path;
use std::process::Command;

use util::Dir;

/// A word's box on a page, in points from the top left, as `pdftotext -bbox` gives it.
#[derive(Debug, Clone, Copy)]
struct WordBox {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
}

/// The boxes of every occurrence of `word` on page `page`.
fn word_boxes(pdf: &Path, page: usize, word: &str) -> Vec<WordBox> {
    let p = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let len = line[start..].find('"').unwrap();
        line[start..start + len].parse().unwrap()
    };
    html.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<word ") && l.ends_with(&format!(">{word}</word>")))
        .map(|l| WordBox {
            x_min: attr(l, "xMin"),
            y_min: attr(l, "yMin"),
            x_max: attr(l, "xMax"),
            y_max: attr(l, "yMax"),
        })
        .collect()
}

/// A grey image, one byte a pixel (0 black, 255 white), rows from the top.
use util::Grey;

impl Grey {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width + x] < 128
    }
}

const DPI: f64 = 600.0;

/// The part of page `page` under `b`, rendered by pdftoppm in grey at [`DPI`].
fn render(pdf: &Path, page: usize, b: WordBox) -> Grey {
    let px = |pt: f64| (pt * DPI / 72.0).round() as i64;
    let (x, y) = (px(b.x_min), px(b.y_min));
    let (w, h) = (px(b.x_max) - x, px(b.y_max) - y);
    let p = page.to_string();
    let (dpi, x, y, w, h) = (
        DPI.to_string(),
        x.to_string(),
        y.to_string(),
        w.to_string(),
        h.to_string(),
    );
    util::pdftoppm_grey(
        pdf,
        &[
            "-r",
            &dpi,
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            "-x",
            &x,
            "-y",
            &y,
            "-W",
            &w,
            "-H",
            &h,
        ],
    )
}

/// The ink boxes (x0, x1, y0, y1, inclusive) of the glyphs in a rendered word: runs of columns
/// with ink, split at blank columns.
fn glyph_boxes(img: &Grey) -> Vec<(usize, usize, usize, usize)> {
    let inked = |x: usize| (0..img.height).any(|y| img.dark(x, y));
    let mut boxes = Vec::new();
    let mut x = 0;
    while x < img.width {
        if !inked(x) {
            x += 1;
            continue;
        }
        let x0 = x;
        while x < img.width && inked(x) {
            x += 1;
        }
        let x1 = x - 1;
        let rows: Vec<usize> = (0..img.height)
            .filter(|&y| (x0..=x1).any(|x| img.dark(x, y)))
            .collect();
        boxes.push((x0, x1, rows[0], *rows.last().unwrap()));
    }
    boxes
}

/// Asserts that every `0` of the word is open: the middle half of the column through the centre
/// of its ink has no ink (a slash or dot crosses it), while the column does meet the ring above
/// and below.
fn assert_zeros_open(pdf: &Path, page: usize, word: &str) {
    let boxes = word_boxes(pdf, page, word);
    assert!(!boxes.is_empty(), "no word {word:?} on page {page}");
    for b in boxes {
        let img = render(pdf, page, b);
        let glyphs = glyph_boxes(&img);
        assert_eq!(
            glyphs.len(),
            word.chars().count(),
            "{word:?}: one run of ink per character expected, found {glyphs:?}"
        );
        for (i, c) in word.chars().enumerate() {
            if c != '0' {
                continue;
            }
            let (x0, x1, y0, y1) = glyphs[i];
            let cx = (x0 + x1) / 2;
            let height = y1 - y0;
            let inked: Vec<usize> = (y0..=y1).filter(|&y| img.dark(cx, y)).collect();
            assert!(
                inked.iter().any(|&y| y < y0 + height / 4)
                    && inked.iter().any(|&y| y > y1 - height / 4),
                "{word:?} zero {i}: the centre column should cross the ring"
            );
            let middle: Vec<usize> = inked
                .iter()
                .copied()
                .filter(|&y| y > y0 + height / 4 && y < y1 - height / 4)
                .collect();
            assert!(
                middle.is_empty(),
                "{word:?} zero {i} (page {page}, {b:?}): ink in the middle of the zero at rows \
                 {middle:?} of {y0}..{y1}: the zero is slashed"
            );
        }
    }
}

fn build(dir: &Dir, out: &str, extra: &[&str]) -> std::path::PathBuf {
    let mut args = vec!["build", "--date", "2026-10-20", "-o", out];
    args.extend_from_slice(extra);
    dir.run(&args).ok();
    dir.path(out)
}

#[test]
fn zeros_in_the_red_flag_phone_number_dates_and_postcodes_are_open() {
    let dir = Dir::new();
    // The region puts Region Midtjylland's out-of-hours number, 70 11 31 31, in the red-flag box
    // (bold); the address puts a postcode with three zeros in the footer (regular).
    dir.write(
        "clinic.json",
        r#"{"address": "Vestergade 1, 8000 Aarhus C", "region": "Region Midtjylland"}"#,
    );
    let pdf = build(
        &dir,
        "h.pdf",
        &[
            "--region",
            "lumbar",
            "--clinic",
            "clinic.json",
            "--next",
            "2026-11-03 10:30",
        ],
    );
    let page1 = util::page_text(&pdf, 1);
    // The number still reads back as digits.
    util::assert_contains(&page1, &["70 11 31 31"]);
    assert_zeros_open(&pdf, 1, "70");
    // The postcode is in the clinic's contact block, on the last page (issue 11, point 6).
    let last: usize = util::info(&pdf)["Pages"].parse().unwrap();
    assert_zeros_open(&pdf, last, "8000");
    assert_zeros_open(&pdf, 1, "20.");
    let all = util::text(&pdf);
    assert!(all.contains("10.30"), "the appointment's time: {all}");
    let time_page = (1..=4)
        .find(|&p| util::page_text(&pdf, p).contains("10.30"))
        .unwrap();
    assert_zeros_open(&pdf, time_page, "10.30");
}

#[test]
fn ranges_are_set_with_an_en_dash_and_read_back_whole() {
    let dir = Dir::new();
    for (region, short) in [("lumbar", false), ("lumbar", true), ("cervical", false)] {
        let mut args = vec!["--region", region];
        if short {
            args.push("--short");
        }
        let pdf = build(&dir, "h.pdf", &args);
        let t = util::text(&pdf);
        // Danish typesetting: a range takes an en dash, and the range stays on one line.
        assert!(t.contains("inden for 8–12 uger."), "{region} {short}: {t}");
        if !short {
            assert!(t.contains("Træn 2–3 gange om ugen"), "{region}: {t}");
        }
        assert!(
            !t.contains("8-12") && !t.contains("2-3"),
            "{region} {short}: {t}"
        );
    }
}

#[test]
fn the_imaging_sentence_keeps_the_guidelines_words() {
    let dir = Dir::new();
    let short = util::text(&build(&dir, "s.pdf", &["--region", "lumbar", "--short"]));
    // The PIXI version's own sentence, word for word.
    util::assert_contains(
        &short,
        &["Billeddiagnostik som røntgen eller MR er kun sjældent nødvendigt."],
    );
    let full = util::text(&build(&dir, "f.pdf", &["--region", "cervical"]));
    util::assert_contains(
        &full,
        &[
            "Billeddiagnostik som røntgen eller MR er kun sjældent nødvendigt og ændrer typisk \
             ikke på din situation eller valg af behandling.",
        ],
    );
    assert!(!short.contains("MR-scanning") && !full.contains("MR-scanning"));
}
