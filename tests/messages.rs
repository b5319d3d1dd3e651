//! What pjece says when something is wrong: invisible characters are written as `U+200B`, never
//! printed raw; a batch message names the row and column but never repeats a cell's value;
//! a SOURCE_DATE_EPOCH that is no date is refused; a closed standard output is an error.

mod util;

use std::process::Command;

use util::{Dir, batch, files};

fn pjece(dir: &Dir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pjece"));
    cmd.current_dir(dir.root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("XDG_CONFIG_HOME", dir.path("no-config"))
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn invisible_characters_are_named_never_printed() {
    let dir = Dir::new();
    // A zero-width space in the file column (found by a tester: it was printed between quotes).
    std::fs::write(
        dir.path("zw.csv"),
        "navn;region;fil\nBo;lumbar;hemmelig\u{200B}.pdf\n",
    )
    .unwrap();
    let err = batch(&dir, "zw.csv", &[]).exits(1);
    assert!(
        err.contains("row 1 (spreadsheet row 2), column file: contains U+200B,"),
        "{err}"
    );
    assert!(!err.contains('\u{200B}'), "raw U+200B in {err:?}");
    assert!(!err.contains("hemmelig"), "the value is echoed: {err}");

    // Every invisible or format character a message may name.
    for c in ['\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}'] {
        std::fs::write(
            dir.path("c.csv"),
            format!("navn;region;fil\nBo;lumbar;x{c}y\n"),
        )
        .unwrap();
        let err = batch(&dir, "c.csv", &[]).exits(1);
        assert!(
            err.contains(&format!("U+{:04X}", c as u32)) && !err.contains(c),
            "U+{:04X}: {err:?}",
            c as u32
        );
    }

    // On the command line the user's own id is quoted back, with the invisible part written out.
    let err = dir
        .run(&[
            "build",
            "--region",
            "lumbar",
            "--date",
            "2026-11-26",
            "--advice",
            "hold-dig-aktiv,tag-ansvar\u{200B}",
            "-o",
            "x.pdf",
        ])
        .fails(1);
    assert!(
        err.starts_with("pjece: advice id 'tag-ansvarU+200B' is not known; valid ids: "),
        "{err}"
    );
    assert!(!err.contains('\u{200B}'), "raw U+200B in {err:?}");
}

#[test]
fn batch_messages_never_repeat_a_cell_value() {
    let dir = Dir::new();
    // A patient's name typed into the advice column, a wrong-region id in the second row, and a
    // name in the omit column of the third.
    std::fs::write(
        dir.path("in.csv"),
        "navn;region;råd;udelad\n\
         Anna;lumbar;hold-dig-aktiv, Søren-Ærø;\n\
         Bo;nakke;Sund-Vaegt;\n\
         Ib;lumbar;;Karen Blixen\n",
    )
    .unwrap();
    let err = batch(&dir, "in.csv", &[]).exits(1);
    for line in [
        "pjece: in.csv: row 1 (spreadsheet row 2), column advice: the 2nd id is not known; valid ids: ",
        "pjece: in.csv: row 2 (spreadsheet row 3), column advice: the id is not valid for cervical (only for lumbar); valid ids: ",
        "pjece: in.csv: row 3 (spreadsheet row 4), column omit: the 1st id is not known; valid ids: ",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    for secret in ["Søren", "Ærø", "Sund-Vaegt", "Karen", "Blixen"] {
        assert!(!err.contains(secret), "{secret:?} echoed in\n{err}");
    }
    assert!(files(&dir.path("out")).is_empty(), "no row was made");

    // JSON Lines: the same words (ids split at spaces, so the name is two ids).
    std::fs::write(
        dir.path("in.jsonl"),
        "{\"name\": \"Anna\", \"region\": \"lumbar\", \"advice\": [\"Hemmelig Hansen\"]}\n",
    )
    .unwrap();
    let err = batch(&dir, "in.jsonl", &[]).exits(1);
    assert!(
        err.contains("row 1 (line 1), column advice: the 1st id is not known; valid ids: "),
        "{err}"
    );
    assert!(!err.contains("Hemmelig"), "{err}");
}

#[test]
fn source_date_epoch_that_is_no_date_is_refused() {
    let dir = Dir::new();
    for value in ["-1", "abc", "1e9", "99999999999999999999", "253402300800"] {
        for args in [
            &["build", "--region", "lumbar", "-o", "x.pdf"][..],
            &["list"][..],
        ] {
            let out = pjece(&dir)
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
    std::fs::write(dir.path("in.csv"), "navn;region\nBo;lumbar\n").unwrap();
    let out = pjece(&dir)
        .args(["batch", "in.csv", "--out-dir", "out"])
        .env("SOURCE_DATE_EPOCH", "-1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("pjece: SOURCE_DATE_EPOCH"));
    assert!(files(&dir.path("out")).is_empty());

    // 0 is 1970-01-01, a valid (if odd) date; a real one dates the handout.
    let out = pjece(&dir)
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
    let out = Command::new("sh")
        .current_dir(dir.root())
        .env("XDG_CONFIG_HOME", dir.path("no-config"))
        .args([
            "-c",
            &format!("exec '{bin}' build --region lumbar --date 2026-11-26 -o - >&-"),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err, "pjece: cannot write to standard output: it is closed\n",
        "{err}"
    );

    // Written to /dev/null on purpose, it is a success.
    let out = Command::new("sh")
        .current_dir(dir.root())
        .env("XDG_CONFIG_HOME", dir.path("no-config"))
        .args([
            "-c",
            &format!("exec '{bin}' build --region lumbar --date 2026-11-26 -o - >/dev/null"),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A reader that has gone before `list` writes (`| head` done): a quiet success.
    let out = Command::new("sh")
        .current_dir(dir.root())
        .env("XDG_CONFIG_HOME", dir.path("no-config"))
        .args([
            "-c",
            &format!("{{ sleep 0.3; '{bin}' list; echo $? >status; }} | true"),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        std::fs::read_to_string(dir.path("status")).unwrap().trim(),
        "0"
    );
}
