//! A problem in a personal field is named the way its reader gave the field: the command line
//! by its option (`--note`), a batch file by its column (`column note`). The library decides
//! which field it is (a typed `Field`), including for text only layout can judge: a character
//! the fonts lack in a goal or a ladder step.

mod util;

use util::{Dir, batch};

fn build_fails(dir: &Dir, option: &str, value: &str) -> String {
    dir.build(&["--region", "lumbar", option, value, "-o", "x.pdf"])
        .fails(1)
}

#[test]
fn the_command_line_names_the_option() {
    let dir = Dir::new();
    let note = "n".repeat(401);
    assert_eq!(
        build_fails(&dir, "--note", &note).lines().next(),
        Some("pjece: --note is 401 characters long; at most 400 fit on the handout")
    );
    // Goals and steps are only shaped when laid out: layout names the block's field.
    for option in ["--goal", "--step"] {
        let err = build_fails(&dir, option, "Gå 李");
        assert!(
            err.starts_with(&format!(
                "pjece: {option} contains U+674E '李', which the font Atkinson Hyperlegible Next Regular cannot show\n"
            )),
            "{option}: {err}"
        );
    }
    assert!(dir.listing().is_empty(), "{:?}", dir.listing());
}

#[test]
fn a_batch_names_the_column_and_never_the_value() {
    let dir = Dir::new();
    let note = "hemmelig ".repeat(45);
    assert!(note.trim().chars().count() > 400);
    dir.write(
        "in.csv",
        format!(
            "name,region,note,goals,steps\n\
             Anna,lumbar,{note},,\n\
             Bo,lumbar,,Gå 李,\n\
             Carl,lumbar,,,Gå 李\n"
        ),
    );
    let err = batch(&dir, "in.csv", &["--check"]).exits(1);
    util::assert_contains(
        &err,
        &[
            "row 1 (spreadsheet row 2), column note: is 404 characters long; at most 400 fit on the handout",
            "row 2 (spreadsheet row 3), column goals: contains U+674E '李', which the font",
            "row 3 (spreadsheet row 4), column steps: contains U+674E '李', which the font",
        ],
    );
    for value in ["hemmelig", "Anna", "Gå"] {
        assert!(!err.contains(value), "{value} echoed in\n{err}");
    }
}
