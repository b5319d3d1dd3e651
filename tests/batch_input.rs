//! `pjece batch` input that is not what it seems: broken quoting, the wrong encoding or no text
//! at all, macOS's decomposed letters, classic Mac line breaks, blank rows, pipes, duplicate JSON
//! keys, huge cells, no rows, and control characters. Each gets a specific answer, and nothing
//! of one patient ever ends up in another's handout.

mod util;

use util::guarded::guarded;
use util::{Dir, batch, files, text};

#[test]
fn an_unclosed_quote_is_refused_where_it_opens_and_merges_nothing() {
    let dir = Dir::new();
    dir.write(
        "q.csv",
        "navn;region;note\r\nAnna;lumbar;\"hej\r\nBo;lumbar;\r\nIb;lumbar;\r\n",
    );
    let err = batch(&dir, "q.csv", &[]).fails(1);
    util::assert_starts_with(
        &err,
        "pjece: q.csv: row 1 (spreadsheet row 2), column note: ",
    );
    util::assert_contains(&err, &["quote", "never closed"]);
    assert!(dir.handouts().is_empty(), "nothing written");
    util::assert_lacks(&err, &["hej", "Anna"]);

    // In the name column, the same answer, not a misleading "region is empty".
    dir.write("n.csv", "navn;region\r\n\"Anna;lumbar\r\nBo;lumbar\r\n");
    let err = batch(&dir, "n.csv", &[]).fails(1);
    util::assert_contains(
        &err,
        &["row 1 (spreadsheet row 2), column name: ", "never closed"],
    );
    util::assert_lacks(&err, &["is empty"]);

    // A quote opened on one line and "closed" by a stray quote rows later runs over other
    // patients' rows: refused the same way.
    dir.write(
        "s.csv",
        "navn;region;note\r\nAnna;lumbar;\"hej\r\nBo;lumbar;\"ok\"\r\nIb;lumbar;\r\n",
    );
    let err = batch(&dir, "s.csv", &[]).fails(1);
    util::assert_contains(&err, &["row 1 (spreadsheet row 2), column note: ", "quote"]);
    assert!(dir.handouts().is_empty(), "nothing written");
}

#[test]
fn a_stray_quote_inside_a_quoted_cell_is_a_row_error() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "navn;region\r\n\"Anna \"Nina\" Berg\";lumbar\r\nBo;lumbar\r\n",
    );
    let run = batch(&dir, "in.csv", &[]);
    let err = run.exits(1);
    util::assert_contains(
        &err,
        &["row 1 (spreadsheet row 2), column name: ", "doubled (\"\")"],
    );
    util::assert_lacks(&err, &["Nina"]);
    assert_eq!(dir.handouts(), ["0002-bo.pdf"]);
}

#[test]
fn windows_1252_asked_for_a_utf8_file_is_refused() {
    let dir = Dir::new();
    for (name, bytes) in [
        ("multibyte.csv", "navn;region\nSøren;lumbar\n".as_bytes()),
        ("bom.csv", b"\xEF\xBB\xBFnavn;region\nBo;lumbar\n"),
    ] {
        dir.write(name, bytes);
        let err = batch(&dir, name, &["--encoding", "windows-1252"]).fails(1);
        assert!(
            err.contains("already UTF-8") && err.contains("--encoding"),
            "{name}: {err}"
        );
    }
    // Plain ASCII reads the same either way.
    dir.write("ascii.csv", "navn;region\nBo;lumbar\n");
    batch(&dir, "ascii.csv", &["--encoding", "windows-1252"]).ok();
    // And real Windows-1252 still reads as such.
    dir.write("cp.csv", b"navn;region\nS\xF8ren;l\xE6nd\n");
    batch(&dir, "cp.csv", &["--encoding", "windows-1252"]).ok();
    assert!(text(&dir.path("out/0001-soeren.pdf")).contains("Til: Søren"));
}

#[test]
fn utf16_workbooks_and_binary_files_get_their_own_answer() {
    let dir = Dir::new();
    let utf16 = |bom: &[u8], big: bool| {
        let mut v = bom.to_vec();
        for u in "navn\tregion\r\nSøren\tlumbar\r\n".encode_utf16() {
            v.extend(if big {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        v
    };
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("le.txt", utf16(b"\xFF\xFE", false), "UTF-16"),
        ("be.txt", utf16(b"\xFE\xFF", true), "UTF-16"),
        ("nobom.csv", utf16(b"", false), "UTF-16"),
        (
            "book.csv",
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00".to_vec(),
            "is an Excel workbook, not CSV",
        ),
        (
            "blob.csv",
            b"\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00".to_vec(),
            "is not a text file",
        ),
    ];
    for (name, bytes, answer) in cases {
        dir.write(name, &bytes);
        for enc in ["utf-8", "windows-1252"] {
            let err = batch(&dir, name, &["--encoding", enc]).fails(1);
            assert!(err.contains(answer), "{name} {enc}: {err}");
            assert!(!err.contains("Windows-1252"), "{name} {enc}: {err}");
            if answer == "UTF-16" || answer.contains("workbook") {
                assert!(err.contains("CSV UTF-8"), "{name}: {err}");
            }
        }
    }
}

#[test]
fn decomposed_letters_from_macos_are_composed() {
    let dir = Dir::new();
    // "Råd" and "Åse" as macOS writes them: A + U+030A.
    let name = "A\u{030A}se";
    let long: String = "a\u{030A}".repeat(80); // 80 letters, 160 code points
    dir.write(
        "nfd.csv",
        format!("Navn;Region;Ra\u{030A}d\n{name};lumbar;hold-dig-aktiv\n{long};lumbar;\n"),
    );
    let run = batch(&dir, "nfd.csv", &[]).ok();
    util::assert_lacks(&run.stderr(), &["ignoring"]);
    let out = dir.path("out");
    assert_eq!(files(&out)[0], "0001-aase.pdf");
    let t = text(&out.join("0001-aase.pdf"));
    util::assert_contains(&t, &["Til: Åse"]);
    assert!(
        t.contains("Hold dig fysisk aktiv") && !t.contains("Bliv ved med at bevæge dig"),
        "the råd column is read"
    );
}

#[test]
fn carriage_returns_are_line_breaks() {
    let dir = Dir::new();
    dir.write(
        "cr.csv",
        "navn;region;note\r\nAnna;lumbar;\"Linje et\rLinje to\"\r\n",
    );
    batch(&dir, "cr.csv", &[]).ok();
    let t = text(&dir.path("out/0001-anna.pdf"));
    util::assert_contains(&t, &["Linje et Linje to"]);

    // A file saved with classic Mac line endings.
    dir.write("mac.csv", "navn;region\rBo;lumbar\r\rIb;lumbar\r");
    let dir2 = Dir::new();
    std::fs::copy(dir.path("mac.csv"), dir2.path("mac.csv")).unwrap();
    batch(&dir2, "mac.csv", &[]).ok();
    assert_eq!(files(&dir2.path("out")), ["0001-bo.pdf", "0003-ib.pdf"]);
}

#[test]
fn blank_lines_count_as_spreadsheet_rows() {
    let dir = Dir::new();
    dir.write("b.csv", "navn;region\nA;lumbar\n\n\nB;hofte\n");
    let err = batch(&dir, "b.csv", &["--check"]).exits(1);
    util::assert_contains(
        &err,
        &["row 4 (spreadsheet row 5), column region: is not a region"],
    );
    // A cell's line breaks do not: Excel shows it as one row.
    dir.write(
        "m.csv",
        "navn;region;note\n\"A\";lumbar;\"1\n2\n3\"\n\nB;lumbar\n",
    );
    batch(&dir, "m.csv", &[]).ok();
    assert_eq!(dir.handouts(), ["0001-a.pdf", "0003-b.pdf"]);
}

#[test]
fn input_that_is_not_a_regular_file_is_refused_without_hanging() {
    let dir = Dir::new();
    for dev in ["/dev/null", "/dev/zero"] {
        let run = guarded(&dir, &["batch", dev, "--format", "csv", "--out-dir", "out"]);
        let err = run.refuses(dev, "is not a regular file");
        assert!(err.contains("save the export to a file"), "{dev}: {err}");
    }
}

#[test]
fn json_lines_duplicate_keys_lists_and_booleans() {
    let dir = Dir::new();
    dir.write(
        "d.jsonl",
        "{\"name\":\"Anna\",\"name\":\"Bent\",\"region\":\"lumbar\"}\n\
         {\"name\":\"Carl\",\"region\":\"lumbar\",\"goals\":[\"Gå en tur\",\"Cykle\"],\
         \"steps\":[\"Først let\",\"Så mere\"],\"large print\":true}\n",
    );
    let err = batch(&dir, "d.jsonl", &[]).exits(1);
    util::assert_contains(
        &err,
        &["row 1 (line 1), column name: the key 'name' appears twice"],
    );
    util::assert_lacks(&err, &["Bent", "Anna"]);
    assert_eq!(dir.handouts(), ["0002-carl.pdf"]);
    let t = text(&dir.path("out/0002-carl.pdf"));
    util::assert_contains(&t, &["Gå en tur", "Cykle", "Så mere"]);
}

#[test]
fn a_huge_record_is_a_row_error_and_the_rest_is_read() {
    let dir = Dir::new();
    let big = "x".repeat(300 * 1024);
    dir.write(
        "big.csv",
        format!("navn;region;note\nAnna;lumbar;{big}\nBo;lumbar;\n"),
    );
    let err = batch(&dir, "big.csv", &["--check"]).exits(1);
    util::assert_contains(&err, &["row 1 (spreadsheet row 2): is longer than 256 KB"]);
    assert!(err.len() < 2000, "the cell is not echoed");
    dir.write("big.jsonl",
        format!(
            "{{\"name\":\"A\",\"region\":\"lumbar\",\"note\":\"{big}\"}}\n{{\"name\":\"B\",\"region\":\"lumbar\"}}\n"
        ),
    );
    let run = batch(&dir, "big.jsonl", &["--check"]);
    let err = run.exits(1);
    util::assert_contains(&err, &["row 1 (line 1): is longer than 256 KB"]);
    util::assert_contains(&run.stdout(), &["checked 2 rows: 1 ok"]);
}

#[test]
fn input_without_rows_is_an_error() {
    let dir = Dir::new();
    for (name, content) in [
        ("empty.jsonl", ""),
        ("blank.jsonl", "\n  \n"),
        ("header.csv", "navn;region\r\n"),
        ("semis.csv", "navn;region\r\n;\r\n;\r\n"),
    ] {
        dir.write(name, content);
        let err = batch(&dir, name, &[]).fails(1);
        assert!(err.contains("no rows"), "{name}: {err}");
    }
}

#[test]
fn control_characters_and_overrides_are_refused_in_every_column() {
    let dir = Dir::new();
    dir.write(
        "c.csv",
        "navn;region;råd;udelad;behandler\n\
         A;lumbar;hold-dig-aktiv\x1b[2J;;\n\
         B;lumbar;;tag-ansvar\u{202E};\n\
         C;lumbar;;;Mette\x07\n\
         D;lumbar;;;\n",
    );
    let run = batch(&dir, "c.csv", &["--check"]);
    let err = run.exits(1);
    util::assert_contains(
        &err,
        &[
            "row 1 (spreadsheet row 2), column advice: contains U+001B, a control character",
            "row 2 (spreadsheet row 3), column omit: contains U+202E, a bidirectional override",
            "row 3 (spreadsheet row 4), column therapist: contains U+0007, a control character",
        ],
    );
    util::assert_lacks(&err, &["\x1b", "\u{202E}"]);

    // Column names: a known one disguised, and an unknown one with an escape sequence.
    for (file, header, says) in [
        (
            "h.csv",
            "navn;region\u{202E};CPR\x1b[2J",
            "header column 2: contains U+202E, a bidirectional override",
        ),
        (
            "u.csv",
            "navn;region;CPR\x1b[2J",
            "header column 3: contains U+001B, a control character",
        ),
    ] {
        dir.write(file, format!("{header}\nA;lumbar;1\n"));
        let err = batch(&dir, file, &["--check"]).fails(1);
        util::assert_contains(&err, &[says]);
        util::assert_lacks(&err, &["\x1b", "\u{202E}"]);
    }

    // JSON Lines keys and values alike.
    dir.write(
        "c.jsonl",
        "{\"name\":\"A\",\"region\":\"lumbar\",\"omit\":[\"x\\u001b[2J\"]}\n\
         {\"name\":\"B\",\"region\":\"lumbar\",\"cpr\\u202e\":\"1\"}\n",
    );
    let err = batch(&dir, "c.jsonl", &["--check"]).exits(1);
    util::assert_contains(
        &err,
        &[
            "row 1 (line 1), column omit: contains U+001B",
            "row 2 (line 2): the key 'cprU+202E' contains U+202E",
        ],
    );
    util::assert_lacks(&err, &["\x1b", "\u{202E}"]);
}
