//! Spreadsheet exports in the three older encodings Danish clinics meet: Windows-1252 (Excel for
//! Windows' "CSV (semikolonsepareret)"), Mac Roman (Excel for Mac's "CSV") and CP850 (DOS
//! programs). pjece names the one the bytes show, reads it when asked, and refuses a choice
//! that would print garbled names.

mod util;

use util::{Dir, batch, text};

/// Danish letters and their bytes in each encoding below, in the same order, from Python's codecs:
/// `python3 -c "print([(c, c.encode('cp1252'), c.encode('mac_roman'), c.encode('cp850', 'replace')) for c in 'æøåÆØÅéÉ’“”–…'])"`
/// (CP850 has no typographic quotes or dashes: 0 marks a character the encoding lacks).
const LETTERS: &str = "æøåÆØÅéÉ’“”–…";
const WINDOWS_1252: [u8; 13] = [
    0xE6, 0xF8, 0xE5, 0xC6, 0xD8, 0xC5, 0xE9, 0xC9, 0x92, 0x93, 0x94, 0x96, 0x85,
];
const MAC_ROMAN: [u8; 13] = [
    0xBE, 0xBF, 0x8C, 0xAE, 0xAF, 0x81, 0x8E, 0x83, 0xD5, 0xD2, 0xD3, 0xD0, 0xC9,
];
const CP850: [u8; 13] = [
    0x91, 0x9B, 0x86, 0x92, 0x9D, 0x8F, 0x82, 0x90, 0, 0, 0, 0, 0,
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Enc {
    Windows1252,
    MacRoman,
    Cp850,
}

impl Enc {
    const ALL: [Enc; 3] = [Enc::Windows1252, Enc::MacRoman, Enc::Cp850];

    fn flag(self) -> &'static str {
        match self {
            Enc::Windows1252 => "windows-1252",
            Enc::MacRoman => "macintosh",
            Enc::Cp850 => "cp850",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Enc::Windows1252 => "Windows-1252",
            Enc::MacRoman => "Mac Roman",
            Enc::Cp850 => "CP850",
        }
    }

    fn encode(self, s: &str) -> Vec<u8> {
        s.chars()
            .map(|c| {
                if c.is_ascii() {
                    return c as u8;
                }
                let i = LETTERS
                    .chars()
                    .position(|l| l == c)
                    .unwrap_or_else(|| panic!("no byte for {c}"));
                let b = match self {
                    Enc::Windows1252 => WINDOWS_1252[i],
                    Enc::MacRoman => MAC_ROMAN[i],
                    Enc::Cp850 => CP850[i],
                };
                assert_ne!(b, 0, "{c} is not in {self:?}");
                b
            })
            .collect()
    }
}

/// A clinic's patient list: Danish letters in names, a region in Danish, and a note.
const PATIENTS: &str = "Navn;Region;Note\r\n\
                        Søren Ærø;lænd;Gå en tur hver dag\r\n\
                        Åse Øberg;nakke;Én øvelse ad gangen\r\n\
                        René Bæk;lumbar;\r\n";

fn check_read(dir: &Dir) {
    assert_eq!(
        dir.handouts(),
        [
            "0001-soeren-aeroe.pdf",
            "0002-aase-oeberg.pdf",
            "0003-rene-baek.pdf"
        ]
    );
    let t = text(&dir.path("out/0001-soeren-aeroe.pdf"));
    util::assert_contains(&t, &["Til: Søren Ærø", "Gå en tur hver dag"]);
    let t = text(&dir.path("out/0002-aase-oeberg.pdf"));
    util::assert_contains(
        &t,
        &[
            "Til: Åse Øberg",
            "Én øvelse ad gangen",
            "Nerverodspåvirkning i nakken",
        ],
    );
    assert!(text(&dir.path("out/0003-rene-baek.pdf")).contains("Til: René Bæk"));
}

#[test]
fn each_encoding_is_named_by_the_hint_and_read_when_asked() {
    for enc in Enc::ALL {
        let dir = Dir::new();
        dir.write("in.csv", enc.encode(PATIENTS));
        let err = batch(&dir, "in.csv", &[]).fails(1);
        assert!(
            err.contains(&format!("It looks like {}", enc.name()))
                && err.contains(&format!("--encoding {}", enc.flag())),
            "{enc:?}: {err}"
        );
        util::assert_contains(&err, &["'CSV UTF-8 (kommasepareret) (*.csv)'"]);
        for other in Enc::ALL.into_iter().filter(|&o| o != enc) {
            assert!(
                !err.contains(&format!("--encoding {}", other.flag())),
                "{enc:?}: {err}"
            );
        }
        assert!(dir.handouts().is_empty());

        // Following the hint gives the right names.
        batch(&dir, "in.csv", &["--encoding", enc.flag()]).ok();
        check_read(&dir);
    }
}

#[test]
fn a_wrong_encoding_is_refused_before_any_handout_is_made() {
    for (enc, wrong) in Enc::ALL
        .into_iter()
        .flat_map(|e| Enc::ALL.into_iter().map(move |w| (e, w)))
        .filter(|(e, w)| e != w)
    {
        let dir = Dir::new();
        dir.write("in.csv", enc.encode(PATIENTS));
        let err = batch(&dir, "in.csv", &["--encoding", wrong.flag()]).fails(1);
        assert!(
            err.starts_with(&format!("pjece: in.csv: does not read as {}", wrong.name()))
                && err.contains(&format!("It looks like {}", enc.name()))
                && err.contains(&format!("--encoding {}", enc.flag())),
            "{enc:?} read as {wrong:?}: {err}"
        );
        // Neither the right nor a garbled name (S¿ren, S›ren, SÂren) is shown.
        for shown in ["Søren", "ren", "berg", "Bæk"] {
            assert!(!err.contains(shown), "{enc:?} as {wrong:?}: {err}");
        }
        assert!(dir.handouts().is_empty(), "{enc:?} read as {wrong:?}");
    }
}

#[test]
fn windows_1252_with_typographic_quotes_and_dashes_still_reads() {
    // Excel's autocorrect writes ’ “ ” – …; none of them may pass for another encoding's letter.
    let dir = Dir::new();
    let csv = "navn;region;note\r\n\
               Lars Holm;lumbar;Lars’ mål – “gå en tur”…\r\n\
               Bo;lumbar;“Hej” – ok\r\n";
    dir.write("in.csv", Enc::Windows1252.encode(csv));
    let err = batch(&dir, "in.csv", &[]).fails(1);
    util::assert_contains(&err, &["--encoding windows-1252"]);
    batch(&dir, "in.csv", &["--encoding", "windows-1252"]).ok();
    let t = text(&dir.path("out/0001-lars-holm.pdf"));
    util::assert_contains(&t, &["Lars’ mål – “gå en tur”…"]);
    // Mac Roman has these characters too.
    let dir = Dir::new();
    dir.write("in.csv", Enc::MacRoman.encode(csv));
    batch(&dir, "in.csv", &["--encoding", "macintosh"]).ok();
    assert!(text(&dir.path("out/0001-lars-holm.pdf")).contains("Lars’ mål – “gå en tur”…"));
}

#[test]
fn a_stray_implausible_character_is_refused_by_row_and_column() {
    // A Windows-1252 file, read as such, with one cell holding ¿ inside a word (a name pasted
    // from a Mac Roman file): that row is refused, naming row and column but not the name.
    let dir = Dir::new();
    let mut csv = Enc::Windows1252.encode("navn;region\r\nSøren Ærø;lumbar\r\nÅse;lumbar\r\n");
    csv.extend_from_slice(b"Jens J\xBFrgensen;lumbar\r\n");
    dir.write("in.csv", csv);
    let err = batch(&dir, "in.csv", &["--encoding", "windows-1252"]).exits(1);
    util::assert_contains(
        &err,
        &[
            "pjece: in.csv: row 3 (spreadsheet row 4), column name: ",
            "U+00BF",
            "unlikely in text read as Windows-1252",
        ],
    );
    util::assert_lacks(&err, &["Jens", "rgensen"]);
    assert_eq!(dir.handouts(), ["0001-soeren-aeroe.pdf", "0002-aase.pdf"]);
}

#[test]
fn json_lines_in_cp850() {
    let dir = Dir::new();
    let jsonl = "{\"navn\": \"Søren Ærø\", \"region\": \"lænd\"}\n";
    dir.write("in.jsonl", Enc::Cp850.encode(jsonl));
    let err = batch(&dir, "in.jsonl", &[]).fails(1);
    util::assert_contains(&err, &["--encoding cp850"]);
    batch(&dir, "in.jsonl", &["--encoding", "cp850"]).ok();
    assert!(text(&dir.path("out/0001-soeren-aeroe.pdf")).contains("Til: Søren Ærø"));
}

#[test]
fn bytes_that_fit_no_encoding_are_not_given_a_name() {
    // ÿ alone in Windows-1252, ˇ in Mac Roman, a no-break space in CP850: no Danish letter in any.
    let dir = Dir::new();
    dir.write("in.csv", b"navn;region\nBo \xFF;lumbar\n");
    let err = batch(&dir, "in.csv", &[]).fails(1);
    assert!(
        err.contains("is not UTF-8 text: byte 0xFF at line 2")
            && err.contains("fit none of the older encodings")
            && err.contains("'CSV UTF-8 (kommasepareret) (*.csv)'")
            && !err.contains("--encoding")
    );
}
