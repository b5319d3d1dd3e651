//! The fallback font: names in letters Atkinson Hyperlegible Next lacks (Vietnamese, Greek,
//! Cyrillic) are printed in DejaVu Sans and read back exactly; a handout that needs no fallback
//! does not carry it; a character no font has is still an error naming the field.

mod util;

use std::path::Path;

use util::Dir;

fn fallback_fonts(pdf: &Path) -> Vec<util::FontRow> {
    util::fonts(pdf)
        .into_iter()
        .filter(|f| f.name.contains("DejaVu"))
        .collect()
}

#[test]
fn vietnamese_and_polish_names_print_and_read_back_exactly() {
    let dir = Dir::new();
    dir.handout(
        "lumbar",
        &[
            "--patient",
            "Nguyễn Thị Ánh",
            "--therapist",
            "Łukasz Wąsowski",
        ],
        "h.pdf",
    );
    let pdf = dir.path("h.pdf");
    let text = util::text(&pdf);
    util::assert_contains(
        &text,
        &["Til: Nguyễn Thị Ánh", "Fysioterapeut: Łukasz Wąsowski"],
    );
    // The running header on later pages repeats the name.
    assert!(util::page_text(&pdf, 2).contains("Nguyễn Thị Ánh"));

    let fallback = fallback_fonts(&pdf);
    assert_eq!(fallback.len(), 1, "{fallback:?}");
    let f = &fallback[0];
    assert!(f.name.ends_with("+DejaVuSans"), "{f:?}");
    assert!(f.embedded && f.subset && f.unicode, "{f:?}");
}

#[test]
fn greek_and_cyrillic_in_a_note_read_back() {
    let dir = Dir::new();
    let note = "Καλή ανάρρωση, Ελένη! Удачи, Жанна и Ґанна. Hẹn gặp lại.";
    dir.handout("nakke", &["--note", note], "h.pdf");
    let text = util::text(&dir.path("h.pdf"));
    assert!(text.contains(note), "{text}");
}

#[test]
fn a_handout_that_needs_no_fallback_does_not_embed_it() {
    let dir = Dir::new();
    dir.handout("lumbar", &[], "plain.pdf");
    dir.handout(
        "lumbar",
        &[
            "--patient",
            "Søren Ærø-Müller",
            "--therapist",
            "Zoë D'Artagnan",
            "--note",
            "Husk øvelserne, Françoise og Łucja.",
        ],
        "danish.pdf",
    );
    for name in ["plain.pdf", "danish.pdf"] {
        let pdf = dir.path(name);
        let fonts = util::fonts(&pdf);
        // Each face is one font program, shown through up to two PDF fonts (one-byte codes
        // for Danish text, two-byte for other glyphs): regular and bold, nothing else.
        let mut faces: Vec<&str> = fonts
            .iter()
            .map(|f| f.name.split_once('+').map_or(f.name.as_str(), |(_, n)| n))
            .collect();
        faces.sort_unstable();
        faces.dedup();
        assert_eq!(
            faces,
            [
                "AtkinsonHyperlegibleNext-Bold",
                "AtkinsonHyperlegibleNext-Regular"
            ],
            "{name}: {fonts:?}"
        );
        assert!(fallback_fonts(&pdf).is_empty(), "{name}: {fonts:?}");
    }
}

#[test]
fn bold_text_falls_back_to_the_bold_face() {
    let dir = Dir::new();
    let content = dir.content_copy("content");
    let file = content.join("guideline.json");
    let json = std::fs::read_to_string(&file).unwrap();
    let heading = "\"full\": \"Udsigterne er gode\"";
    assert!(json.contains(heading));
    std::fs::write(
        &file,
        json.replace(heading, "\"full\": \"Udsigterne er gode (Triển vọng tốt)\""),
    )
    .unwrap();
    dir.run(&["check", "--content", "content"]).ok();
    dir.handout("lumbar", &["--content", "content"], "h.pdf");
    let pdf = dir.path("h.pdf");
    assert!(util::text(&pdf).contains("Udsigterne er gode (Triển vọng tốt)"));
    let names: Vec<String> = fallback_fonts(&pdf).into_iter().map(|f| f.name).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].ends_with("+DejaVuSans-Bold"), "{names:?}");
}

#[test]
fn the_fallback_stays_with_a_clinics_own_fonts() {
    let dir = Dir::new();
    dir.shipped_fonts_copy("fonts");
    dir.handout(
        "lumbar",
        &["--fonts", "fonts", "--patient", "Trần Văn Đức"],
        "h.pdf",
    );
    let pdf = dir.path("h.pdf");
    assert!(util::text(&pdf).contains("Til: Trần Văn Đức"));
    assert_eq!(fallback_fonts(&pdf).len(), 1);
}

#[test]
fn a_character_no_font_has_is_an_error_naming_the_field() {
    let dir = Dir::new();
    for option in ["--patient", "--therapist", "--note"] {
        let err = dir
            .build(&["--region", "lumbar", option, "Lý 李", "-o", "x.pdf"])
            .fails(1);
        util::assert_starts_with(&err, &format!("pjece: {option} contains U+674E '李'"));
        assert!(!dir.path("x.pdf").exists());
    }
}
