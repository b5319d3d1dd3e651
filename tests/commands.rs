//! `pjece list` and `pjece check`.

mod util;

use std::path::PathBuf;

use util::Dir;

/// Copies the shipped content to `content/` and rewrites its `file` with `edit`; returns the
/// file's path.
fn edited_content(dir: &Dir, file: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
    let path = dir.content_copy("content").join(file);
    util::edit_file(&path, edit);
    path
}

#[test]
fn list_shows_ids_with_first_words() {
    let dir = Dir::new();
    let out = dir.run(&["list", "--region", "lumbar"]).ok().stdout();
    util::assert_starts_with(&out, "lumbar (lænd), full version:\n");
    util::assert_contains(
        &out,
        &[
            "  roede-flag                     Søg læge med det samme, hvis du  [always included]",
            "    hold-dig-aktiv               Hold dig fysisk aktiv – hver dag: …",
            "sund-vaegt",
        ],
    );
    assert!(
        !out.contains("jobsituation"),
        "therapist blocks are not listed"
    );

    let out = dir.run(&["list", "--region", "nakke"]).ok().stdout();
    util::assert_lacks(&out, &["sund-vaegt"]);
    let out = dir
        .run(&["list", "--short", "--region", "lumbar"])
        .ok()
        .stdout();
    assert!(
        !out.contains("sund-vaegt"),
        "not in the short version: {out}"
    );
    let both = dir.run(&["list"]).ok().stdout();
    util::assert_contains(&both, &["lumbar (lænd)", "cervical (nakke)"]);
}

#[test]
fn check_accepts_the_shipped_content() {
    let dir = Dir::new();
    let out = dir.run(&["check"]).ok().stdout();
    util::assert_starts_with(&out, "embedded: ok: ");
    let content = dir.content_copy("content");
    let out = dir
        .run(&["check", "--content", content.to_str().unwrap()])
        .ok()
        .stdout();
    util::assert_contains(&out, &[": ok: "]);
}

#[test]
fn check_reports_every_problem_with_file_and_path() {
    let dir = Dir::new();
    let content = dir.content_copy("content");
    let path = content.join("guideline.json");
    let mut g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let blocks = g["blocks"].as_array_mut().unwrap();
    blocks[1]["id"] = blocks[2]["id"].clone();
    blocks[3]["heading"]["full"] = "**Gode råd".into();
    blocks[4]["regions"] = serde_json::json!([]);
    std::fs::write(&path, serde_json::to_string_pretty(&g).unwrap()).unwrap();
    let err = dir.run(&["check", "--content", "content"]).fails(1);
    util::assert_starts_with(&err, "pjece: the content has 3 problems:\n");
    util::assert_contains(
        &err,
        &[
            "content/guideline.json: blocks[2].id: id 'prognose' is already used at blocks[1].id",
            "content/guideline.json: blocks[3].heading.full: bold text opened with '**' is not closed",
            "content/guideline.json: blocks[4].regions: must name at least one region",
        ],
    );
}

#[test]
fn check_reports_type_errors_and_unknown_fields() {
    let dir = Dir::new();
    let path = edited_content(&dir, "guideline.json", |t| {
        t.replacen("\"audience\": \"patient\"", "\"audiense\": \"patient\"", 1)
    });
    let err = dir.run(&["check", "--content", "content"]).fails(1);
    // A misspelt required field: the unknown name and the missing one.
    util::assert_contains(
        &err,
        &[
            "content/guideline.json: blocks[0].audiense: is not a field pjece knows",
            "content/guideline.json: blocks[0]: missing field `audience`",
        ],
    );

    // An unknown field does not hide the file's other problems.
    util::edit_file(&path, |t| {
        t.replacen(
            "\"audiense\": \"patient\"",
            "\"audience\": \"patient\", \"colour\": \"red\"",
            1,
        )
        .replacen(
            "Hvad er nerverodspåvirkning?",
            "Hvad er **nerverodspåvirkning?",
            1,
        )
    });
    let err = dir.run(&["check", "--content", "content"]).fails(1);
    util::assert_contains(
        &err,
        &[
            "the content has 2 problems",
            "content/guideline.json: blocks[0].colour: is not a field pjece knows",
            "heading.full: bold text opened with '**' is not closed",
        ],
    );
}

#[test]
fn content_dir_drives_the_handout() {
    let dir = Dir::new();
    edited_content(&dir, "labels.json", |t| {
        t.replace("Side {page} af {pages}", "Side {page} / {pages}")
    });
    dir.handout("lumbar", &["--content", "content"], "c.pdf");
    assert!(util::text(&dir.path("c.pdf")).contains("Side 1 / "));
}
