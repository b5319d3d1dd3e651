//! Bad input gets a specific message on stderr, a non-zero exit and no output file.

mod util;

use util::Dir;

fn fails(dir: &Dir, args: &[&str], code: i32) -> String {
    dir.build(args).fails(code)
}

/// `pjece build --region lumbar EXTRA -o x.pdf`, which must fail with exit code `code`.
fn lumbar_fails(dir: &Dir, extra: &[&str], code: i32) -> String {
    let mut args = vec!["--region", "lumbar"];
    args.extend_from_slice(extra);
    args.extend(["-o", "x.pdf"]);
    fails(dir, &args, code)
}

#[test]
fn unknown_advice_id_lists_valid_ids_and_writes_nothing() {
    let dir = Dir::new();
    let err = lumbar_fails(&dir, &["--advice", "hold-dig-aktiv,flyv"], 1);
    util::assert_starts_with(
        &err,
        "pjece: advice id 'flyv' is not known; valid ids: bliv-ved-med-at-bevaege-dig, ",
    );
    util::assert_contains(&err, &["hint: 'pjece list --region <region>'"]);
    assert!(dir.listing().is_empty(), "{:?}", dir.listing());
}

#[test]
fn advice_not_valid_for_the_region() {
    let dir = Dir::new();
    let err = fails(
        &dir,
        &[
            "--region",
            "cervical",
            "--advice",
            "sund-vaegt",
            "-o",
            "x.pdf",
        ],
        1,
    );
    util::assert_starts_with(
        &err,
        "pjece: advice id 'sund-vaegt' is not valid for cervical (only for lumbar); valid ids:",
    );
    util::assert_lacks(&err, &["sund-vaegt,"]);
}

#[test]
fn red_flags_cannot_be_omitted() {
    let dir = Dir::new();
    let err = lumbar_fails(&dir, &["--omit", "roede-flag"], 1);
    assert_eq!(
        err,
        "pjece: 'roede-flag' is the red-flag warning (when to seek a doctor at once); it is always included and cannot be omitted\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::new();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--region", "hofte", "-o", "x.pdf"],
            "unknown region 'hofte'; use lumbar (lænd) or cervical (nakke)",
        ),
        (
            &["--region", "lumbar", "--date", "2026-02-30", "-o", "x.pdf"],
            "'2026-02-30' is not a date; use YYYY-MM-DD or DD-MM-YYYY",
        ),
        (&["--region", "lumbar"], "--output"),
    ];
    for (args, says) in cases {
        let err = fails(&dir, args, 2);
        util::assert_contains(&err, &[says]);
    }
}

#[test]
fn dates_read_as_excel_writes_them_and_appointments_lie_ahead() {
    let dir = Dir::new();
    // Danish day-first dates, and Excel's seconds, are read the same as in a batch.
    dir.handout(
        "lumbar",
        &["--date", "26-11-2026", "--next", "03-12-2026 10:30:00"],
        "x.pdf",
    );
    let t = util::text(&dir.path("x.pdf"));
    util::assert_contains(
        &t,
        &["26. november 2026", "torsdag den 3. december kl. 10.30"],
    );
    let err = dir
        .build(&[
            "--region",
            "lumbar",
            "--next",
            "2020-01-01 10:00",
            "-o",
            "y.pdf",
        ])
        .fails(1);
    util::assert_contains(
        &err,
        &["next 2020-01-01 10:00 is before the handout's date 2026-11-26"],
    );
    assert!(!dir.path("y.pdf").exists());
}

#[test]
fn danish_region_names_and_case_are_accepted() {
    let dir = Dir::new();
    dir.handout("Lænd", &[], "a.pdf");
    dir.handout("NAKKE", &[], "b.pdf");
}

#[test]
fn unwritable_output() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path("d.pdf")).unwrap();
    for (out, says) in [
        ("missing/x.pdf", "the directory missing does not exist"),
        ("d.pdf", "is a directory"),
    ] {
        let err = fails(&dir, &["--region", "lumbar", "-o", out], 1);
        assert_eq!(err, format!("pjece: cannot write {out}: {says}\n"));
    }
    let err = fails(&dir, &["--region", "lumbar", "-o", "x.txt"], 1);
    util::assert_contains(&err, &["should end in .pdf"]);
}

#[cfg(unix)]
#[test]
fn read_only_directory_leaves_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Dir::new();
    let ro = dir.path("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions; only check where they apply.
    if std::fs::File::create(ro.join("probe")).is_ok() {
        return;
    }
    let err = fails(&dir, &["--region", "lumbar", "-o", "ro/x.pdf"], 1);
    util::assert_contains(&err, &["cannot write ro/x.pdf: permission denied"]);
    assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
}

#[test]
fn a_failed_build_keeps_the_old_file() {
    let dir = Dir::new();
    dir.write("old.pdf", b"previous handout");
    fails(
        &dir,
        &["--region", "lumbar", "--advice", "nope", "-o", "old.pdf"],
        1,
    );
    assert_eq!(
        std::fs::read(dir.path("old.pdf")).unwrap(),
        b"previous handout"
    );
    assert_eq!(dir.listing(), ["old.pdf"]);
}

#[test]
fn personal_fields_are_checked() {
    let dir = Dir::new();
    let err = lumbar_fails(&dir, &["--patient", &"Å".repeat(81)], 1);
    util::assert_starts_with(
        &err,
        "pjece: --patient is 81 characters long; at most 80 fit on the handout",
    );
    let err = lumbar_fails(&dir, &["--therapist", "Anna\u{202E}gnaL"], 1);
    util::assert_starts_with(
        &err,
        "pjece: --therapist contains U+202E, a bidirectional override",
    );
    let err = lumbar_fails(&dir, &["--patient", "Wú 李"], 1);
    assert_eq!(
        err,
        "pjece: --patient contains U+674E '李', which the font Atkinson Hyperlegible Next Regular cannot show\n"
    );
    let err = lumbar_fails(&dir, &["--note", &"linje\n".repeat(9)], 1);
    util::assert_starts_with(
        &err,
        "pjece: --note has 9 lines; at most 8 fit on the handout",
    );
    assert!(dir.listing().is_empty());
}

#[test]
fn missing_or_broken_content_directory() {
    let dir = Dir::new();
    let err = lumbar_fails(&dir, &["--content", "nope"], 1);
    assert_eq!(err, "pjece: content directory nope: does not exist\n");

    let c = dir.path("c");
    std::fs::create_dir(&c).unwrap();
    std::fs::write(
        c.join("guideline.json"),
        "{\"schema_version\": 1, \"meta\": ",
    )
    .unwrap();
    let err = lumbar_fails(&dir, &["--content", "c"], 1);
    util::assert_starts_with(&err, "pjece: the content has 3 problems:\n");
    util::assert_contains(
        &err,
        &[
            "c/guideline.json: meta: EOF while parsing a value at line 1 column 30",
            "c/labels.json: does not exist",
            "c/out_of_hours.json: does not exist",
            "c/out_of_hours.json: does not exist",
        ],
    );
    assert!(!dir.path("x.pdf").exists());
}

#[test]
fn the_same_id_chosen_and_omitted() {
    let dir = Dir::new();
    let err = lumbar_fails(&dir, &["--advice", "tag-ansvar", "--omit", "tag-ansvar"], 1);
    assert_eq!(
        err,
        "pjece: 'tag-ansvar' is both chosen with --advice and left out with --omit\n"
    );
    // Leaving out the section that holds chosen advice would drop it silently.
    let err = lumbar_fails(&dir, &["--advice", "tag-ansvar", "--omit", "gode-raad"], 1);
    assert_eq!(
        err,
        "pjece: advice 'tag-ansvar' is chosen with --advice, but its section 'gode-raad' is left out with --omit\n"
    );
    // An empty --advice would make a handout without advice.
    for empty in ["", ",", " , "] {
        let err = lumbar_fails(&dir, &["--advice", empty], 1);
        assert!(
            err.contains("--advice names no advice ids"),
            "{empty:?}: {err}"
        );
    }
    assert!(!dir.path("x.pdf").exists());
}

#[test]
fn ids_ignore_case_as_a_spreadsheet_capitalises_them() {
    let dir = Dir::new();
    dir.handout(
        "lumbar",
        &[
            "--advice",
            "Tag-Ansvar,HOLD-DIG-AKTIV",
            "--omit",
            "Prognose",
        ],
        "x.pdf",
    );
    let t = util::text(&dir.path("x.pdf"));
    util::assert_contains(
        &t,
        &["Tag ansvar og forstå din sygdom", "Hold dig fysisk aktiv"],
    );
    util::assert_lacks(&t, &["Vær tålmodig og konsekvent", "Udsigterne er gode"]);
}
