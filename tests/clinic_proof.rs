//! A clinic profile is proven before any handout is made: `check --clinic` and `batch` lay out
//! and write sample handouts with it (`build` when its one handout fails), so a logo that does not decode or a letter the
//! fonts lack is the profile's error, naming the file and the field, reported once, with
//! nothing written; and a profile of the wrong shape is refused in plain words.

mod util;

use std::path::Path;
use util::{Dir, files};

fn fixture(dir: &Dir, name: &str) {
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
        dir.path(name),
    )
    .unwrap();
}

/// The fixture profile with its logo, and `edit` applied to its text, as `c.json`.
fn profile(dir: &Dir, edit: impl Fn(String) -> String) {
    fixture(dir, "clinic.json");
    fixture(dir, "logo.png");
    let text = std::fs::read_to_string(dir.path("clinic.json")).unwrap();
    std::fs::write(dir.path("c.json"), edit(text)).unwrap();
}

/// `check`, `build -o x.pdf` and `batch --out-dir out` (with and without --check) all refuse
/// the profile `c.json` with a message containing every one of `expected`, before any row.
fn every_command_refuses(dir: &Dir, expected: &[&str]) {
    std::fs::write(
        dir.path("in.csv"),
        "navn;region\nAnna;lumbar\nBo;cervical\n",
    )
    .unwrap();
    let runs: [&[&str]; 4] = [
        &["check", "--clinic", "c.json"],
        &[
            "build", "--region", "lumbar", "--clinic", "c.json", "-o", "x.pdf",
        ],
        &["batch", "in.csv", "--out-dir", "out", "--clinic", "c.json"],
        &[
            "batch",
            "in.csv",
            "--out-dir",
            "out",
            "--clinic",
            "c.json",
            "--check",
        ],
    ];
    for args in runs {
        let err = dir.run(args).fails(1);
        for e in expected {
            assert!(err.contains(e), "{args:?}: expected «{e}» in\n{err}");
            assert_eq!(err.matches(e).count(), 1, "{args:?}: reported once\n{err}");
        }
        assert!(
            err.starts_with("pjece: the clinic profile has"),
            "{args:?}: the profile is blamed\n{err}"
        );
        assert!(!err.contains("row"), "{args:?}: no row is blamed\n{err}");
        assert!(!dir.path("x.pdf").exists(), "{args:?} wrote x.pdf");
        assert!(
            files(&dir.path("out")).is_empty(),
            "{args:?} wrote handouts"
        );
    }
}

#[test]
fn a_truncated_png_logo_is_the_profiles_error() {
    let dir = Dir::new();
    profile(&dir, |t| t.replace("logo.png", "cut.png"));
    // The header and the first chunks are whole; the image data is cut off.
    let png = std::fs::read(dir.path("logo.png")).unwrap();
    std::fs::write(dir.path("cut.png"), &png[..png.len() / 2]).unwrap();
    every_command_refuses(
        &dir,
        &["c.json: logo: cut.png: cannot be read as an image (unexpected end of file)"],
    );
}

#[test]
fn a_truncated_jpeg_logo_is_the_profiles_error() {
    // The PDF carries a JPEG's bytes undecoded, so a cut-off one would print half grey.
    let dir = Dir::new();
    fixture(&dir, "logo.jpg");
    profile(&dir, |t| t.replace("logo.png", "cut.jpg"));
    let jpeg = std::fs::read(dir.path("logo.jpg")).unwrap();
    std::fs::write(dir.path("cut.jpg"), &jpeg[..jpeg.len() / 2]).unwrap();
    every_command_refuses(&dir, &["c.json: logo: cut.jpg: cannot be read as an image"]);
}

#[test]
fn a_jpeg_that_is_not_one_is_the_profiles_error() {
    let dir = Dir::new();
    profile(&dir, |t| t.replace("logo.png", "fake.jpg"));
    let mut jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00".to_vec();
    jpeg.extend(b"this is no picture".repeat(20));
    std::fs::write(dir.path("fake.jpg"), &jpeg).unwrap();
    every_command_refuses(
        &dir,
        &["c.json: logo: fake.jpg: cannot be read as an image"],
    );
}

#[test]
fn letters_the_fonts_lack_are_the_profiles_error_by_field() {
    let dir = Dir::new();
    profile(&dir, |t| {
        t.replace("Fysioterapi Ærø\"", "ሀ Fysioterapi\"")
            .replace("Vestergade 1", "李 Vestergade 1")
    });
    every_command_refuses(
        &dir,
        &[
            "c.json: name: contains U+1200 'ሀ', a letter in none of the fonts \
             (Atkinson Hyperlegible Next Regular, and the fallback DejaVu Sans)",
            "c.json: address: contains U+674E '李', a letter in none of the fonts",
        ],
    );
}

#[test]
fn letters_of_the_fallback_font_pass_and_print() {
    let dir = Dir::new();
    profile(&dir, |t| {
        t.replace("Fysioterapi Ærø\"", "Φυσιοθεραπεία Жанна Nguyễn\"")
    });
    let out = dir.run(&["check", "--clinic", "c.json"]).ok().stdout();
    assert!(
        out.starts_with("c.json: ok: Φυσιοθεραπεία Жанна Nguyễn;"),
        "{out}"
    );
    dir.run(&[
        "build", "--region", "lumbar", "--clinic", "c.json", "-o", "x.pdf",
    ])
    .ok();
    let t = util::text(&dir.path("x.pdf"));
    assert!(
        t.contains("Φυσιοθεραπεία Жанна Nguyễn · Vestergade 1"),
        "{t}"
    );
}

/// The message for a profile file holding `json`.
fn shape_error(json: &str) -> String {
    let dir = Dir::new();
    std::fs::write(dir.path("c.json"), json).unwrap();
    let err = dir.run(&["check", "--clinic", "c.json"]).fails(1);
    for jargon in ["Raw", "struct", "invalid type", "expected a string", "?:"] {
        assert!(!err.contains(jargon), "«{jargon}» in\n{err}");
    }
    err
}

#[test]
fn a_profile_of_the_wrong_shape_is_refused_in_plain_words() {
    let object = "c.json: must be a JSON object: fields such as \"name\": \"Fysioterapi Eksempel\" between { and }";
    for (json, kind) in [
        ("[]", "a list [ ]"),
        ("[{\"name\": \"A\"}]", "a list [ ]"),
        ("\"Fysioterapi\"", "text"),
        ("5", "a number"),
        ("null", "null"),
    ] {
        let err = shape_error(json);
        assert!(
            err.contains(&format!("{object}, not {kind}")),
            "{json}: {err}"
        );
    }
    let err = shape_error("// only a comment\n");
    assert!(
        err.contains("c.json: is empty; a clinic profile is a JSON object"),
        "{err}"
    );
    let err = shape_error(r#"{"phone": 62521234}"#);
    assert!(
        err.contains("c.json: phone: must be text in quotes, not a number"),
        "{err}"
    );
    // Every field of the wrong kind is named, and an unknown field too.
    let err =
        shape_error(r#"{"name": true, "address": ["Vestergade 1"], "logo": {}, "colour": "x"}"#);
    assert!(err.contains("has 4 problems"), "{err}");
    for expected in [
        "c.json: name: must be text in quotes, not true or false",
        "c.json: address: must be text in quotes, not a list [ ]",
        "c.json: logo: must be text in quotes, not a group of fields { }",
        "c.json: colour: is not a field of a clinic profile",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let err = shape_error(r#"{"name": "A", "name": "B"}"#);
    assert!(
        err.contains("c.json: name: is given twice; keep one"),
        "{err}"
    );
    let err = shape_error("{\"name\": \"A\",}");
    assert!(
        err.contains("c.json: is not valid JSON: trailing comma at line 1 column 14"),
        "{err}"
    );
}
