//! What pjece says when something is wrong: invisible characters are written as `U+200B`, never
//! printed raw; a batch message names the row and column but never repeats a cell's value;
//! a SOURCE_DATE_EPOCH that is no date is refused; a closed standard output is an error.

mod util;

use util::{Dir, batch};

#[test]
fn invisible_characters_are_named_never_printed() {
    let dir = Dir::new();
    // A zero-width space in the file column (found by a tester: it was printed between quotes).
    dir.write(
        "zw.csv",
        "navn;region;fil\nBo;lumbar;hemmelig\u{200B}.pdf\n",
    );
    let err = batch(&dir, "zw.csv", &[]).exits(1);
    util::assert_contains(
        &err,
        &["row 1 (spreadsheet row 2), column file: contains U+200B,"],
    );
    assert!(!err.contains('\u{200B}'), "raw U+200B in {err:?}");
    assert!(!err.contains("hemmelig"), "the value is echoed: {err}");

    // Every invisible or format character a message may name.
    for c in ['\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}'] {
        dir.write("c.csv", format!("navn;region;fil\nBo;lumbar;x{c}y\n"));
        let err = batch(&dir, "c.csv", &[]).exits(1);
        assert!(
            err.contains(&format!("U+{:04X}", c as u32)) && !err.contains(c),
            "U+{:04X}: {err:?}",
            c as u32
        );
    }

    // On the command line the user's own id is quoted back, with the invisible part written out.
    let err = dir
        .build(&[
            "--region",
            "lumbar",
            "--advice",
            "hold-dig-aktiv,tag-ansvar\u{200B}",
            "-o",
            "x.pdf",
        ])
        .fails(1);
    util::assert_starts_with(
        &err,
        "pjece: advice id 'tag-ansvarU+200B' is not known; valid ids: ",
    );
    assert!(!err.contains('\u{200B}'), "raw U+200B in {err:?}");
}

#[test]
fn batch_messages_never_repeat_a_cell_value() {
    let dir = Dir::new();
    // A patient's name typed into the advice column, a wrong-region id in the second row, and a
    // name in the omit column of the third.
    dir.write(
        "in.csv",
        "navn;region;råd;udelad\n\
         Anna;lumbar;hold-dig-aktiv, Søren-Ærø;\n\
         Bo;nakke;Sund-Vaegt;\n\
         Ib;lumbar;;Karen Blixen\n",
    );
    let err = batch(&dir, "in.csv", &[]).exits(1);
    util::assert_contains(
        &err,
        &[
            "pjece: in.csv: row 1 (spreadsheet row 2), column advice: the 2nd id is not known; valid ids: ",
            "pjece: in.csv: row 2 (spreadsheet row 3), column advice: the id is not valid for cervical (only for lumbar); valid ids: ",
            "pjece: in.csv: row 3 (spreadsheet row 4), column omit: the 1st id is not known; valid ids: ",
        ],
    );
    for secret in ["Søren", "Ærø", "Sund-Vaegt", "Karen", "Blixen"] {
        assert!(!err.contains(secret), "{secret:?} echoed in\n{err}");
    }
    assert!(dir.handouts().is_empty(), "no row was made");

    // JSON Lines: the same words (ids split at spaces, so the name is two ids).
    dir.write(
        "in.jsonl",
        "{\"name\": \"Anna\", \"region\": \"lumbar\", \"advice\": [\"Hemmelig Hansen\"]}\n",
    );
    let err = batch(&dir, "in.jsonl", &[]).exits(1);
    util::assert_contains(
        &err,
        &["row 1 (line 1), column advice: the 1st id is not known; valid ids: "],
    );
    util::assert_lacks(&err, &["Hemmelig"]);
}

#[test]
fn source_date_epoch_that_is_no_date_is_refused() {
    let dir = Dir::new();
    for value in ["-1", "abc", "1e9", "99999999999999999999", "253402300800"] {
        for args in [
            &["build", "--region", "lumbar", "-o", "x.pdf"][..],
            &["list"][..],
        ] {
            let out = dir
                .command()
                .args(args)
                .env("SOURCE_DATE_EPOCH", value)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            if args[0] == "list" {
                // A command that makes no handout does not read the date.
                assert!(out.status.success(), "{value}: {err}");
                continue;
            }
            assert_eq!(out.status.code(), Some(1), "{value}: {err}");
            assert!(
                err.starts_with("pjece: SOURCE_DATE_EPOCH")
                    && err.contains("seconds since 1970-01-01"),
                "{value}: {err}"
            );
            assert!(!dir.path("x.pdf").exists(), "{value}: a handout was made");
        }
    }
    dir.write("in.csv", "navn;region\nBo;lumbar\n");
    let out = dir
        .command()
        .args(["batch", "in.csv", "--out-dir", "out"])
        .env("SOURCE_DATE_EPOCH", "-1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("pjece: SOURCE_DATE_EPOCH"));
    assert!(dir.handouts().is_empty());

    // 0 is 1970-01-01, a valid (if odd) date; a real one dates the handout.
    let out = dir
        .command()
        .args(["build", "--region", "lumbar", "-o", "y.pdf"])
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(util::text(&dir.path("y.pdf")).contains("1. december 2026"));
}

#[test]
#[cfg(unix)]
fn a_closed_standard_output_is_an_error_not_a_silent_success() {
    let dir = Dir::new();
    let bin = env!("CARGO_BIN_EXE_pjece");
    // `>&-` closes descriptor 1 before pjece starts.
    let out = dir.shell(&format!(
        "exec '{bin}' build --region lumbar --date 2026-11-26 -o - >&-"
    ));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err, "pjece: cannot write to standard output: it is closed\n",
        "{err}"
    );

    // Written to /dev/null on purpose, it is a success.
    let out = dir.shell(&format!(
        "exec '{bin}' build --region lumbar --date 2026-11-26 -o - >/dev/null"
    ));
    util::assert_success(&out);

    // A reader that has gone before `list` writes (`| head` done): a quiet success.
    let out = dir.shell(&format!(
        "{{ sleep 0.3; '{bin}' list; echo $? >status; }} | true"
    ));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        std::fs::read_to_string(dir.path("status")).unwrap().trim(),
        "0"
    );
}
