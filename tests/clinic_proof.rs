//! A clinic profile is proven before any handout is made: `check --clinic` and `batch` lay out
//! and write sample handouts with it (`build` when its one handout fails), so a logo that does not decode or a letter the
//! fonts lack is the profile's error, naming the file and the field, reported once, with
//! nothing written; and a profile of the wrong shape is refused in plain words.

mod util;

use util::Dir;

/// The fixture profile with its logo, and `edit` applied to its text, as `c.json`.
fn profile(dir: &Dir, edit: impl Fn(String) -> String) {
    dir.fixture("clinic.json");
    dir.fixture("logo.png");
    let text = std::fs::read_to_string(dir.path("clinic.json")).unwrap();
    dir.write("c.json", edit(text));
}

/// `check`, `build -o x.pdf` and `batch --out-dir out` (with and without --check) all refuse
/// the profile `c.json` with a message containing every one of `expected`, before any row.
fn every_command_refuses(dir: &Dir, expected: &[&str]) {
    dir.write("in.csv", "navn;region\nAnna;lumbar\nBo;cervical\n");
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
        assert!(dir.handouts().is_empty(), "{args:?} wrote handouts");
    }
}

#[test]
fn a_truncated_png_logo_is_the_profiles_error() {
    let dir = Dir::new();
    profile(&dir, |t| t.replace("logo.png", "cut.png"));
    // The header and the first chunks are whole; the image data is cut off.
    let png = std::fs::read(dir.path("logo.png")).unwrap();
    dir.write("cut.png", &png[..png.len() / 2]);
    every_command_refuses(
        &dir,
        &["c.json: logo: cut.png: cannot be read as an image (unexpected end of file)"],
    );
}

#[test]
fn a_truncated_jpeg_logo_is_the_profiles_error() {
    // The PDF carries a JPEG's bytes undecoded, so a cut-off one would print half grey.
    let dir = Dir::new();
    dir.fixture("logo.jpg");
    profile(&dir, |t| t.replace("logo.png", "cut.jpg"));
    let jpeg = std::fs::read(dir.path("logo.jpg")).unwrap();
    dir.write("cut.jpg", &jpeg[..jpeg.len() / 2]);
    every_command_refuses(&dir, &["c.json: logo: cut.jpg: cannot be read as an image"]);
}

#[test]
fn a_jpeg_that_is_not_one_is_the_profiles_error() {
    let dir = Dir::new();
    profile(&dir, |t| t.replace("logo.png", "fake.jpg"));
    let mut jpeg = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00".to_vec();
    jpeg.extend(b"this is no picture".repeat(20));
    dir.write("fake.jpg", &jpeg);
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
    util::assert_starts_with(&out, "c.json: ok: Φυσιοθεραπεία Жанна Nguyễn;");
    dir.handout("lumbar", &["--clinic", "c.json"], "x.pdf");
    let t = util::text(&dir.path("x.pdf"));
    util::assert_contains(&t, &["Φυσιοθεραπεία Жанна Nguyễn Vestergade 1"]);
}

/// The message for a profile file holding `json`.
fn shape_error(json: &str) -> String {
    let dir = Dir::new();
    dir.write("c.json", json);
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
    util::assert_contains(
        &err,
        &["c.json: is empty; a clinic profile is a JSON object"],
    );
    let err = shape_error(r#"{"phone": 62521234}"#);
    util::assert_contains(
        &err,
        &["c.json: phone: must be text in quotes, not a number"],
    );
    // Every field of the wrong kind is named, and an unknown field too.
    let err =
        shape_error(r#"{"name": true, "address": ["Vestergade 1"], "logo": {}, "colour": "x"}"#);
    util::assert_contains(
        &err,
        &[
            "has 4 problems",
            "c.json: name: must be text in quotes, not true or false",
            "c.json: address: must be text in quotes, not a list [ ]",
            "c.json: logo: must be text in quotes, not a group of fields { }",
            "c.json: colour: is not a field of a clinic profile",
        ],
    );
    let err = shape_error(r#"{"name": "A", "name": "B"}"#);
    util::assert_contains(&err, &["c.json: name: is given twice; keep one"]);
    let err = shape_error("{\"name\": \"A\",}");
    util::assert_contains(
        &err,
        &["c.json: is not valid JSON: trailing comma at line 1 column 14"],
    );
}
