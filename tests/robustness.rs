//! Bad input of every kind gets a specific answer and a non-zero exit, never a panic or a file.
//! Together with errors.rs, batch.rs, clinic.rs and commands.rs these back the README's
//! "When something is wrong" table.

mod util;

use util::Dir;

fn build_fails(dir: &Dir, extra: &[&str]) -> String {
    let mut args = util::BUILD_LUMBAR.to_vec();
    args.extend_from_slice(extra);
    let err = dir.run(&args).fails(1);
    assert!(!dir.path("x.pdf").exists(), "no output on error");
    util::assert_lacks(&err, &["panicked"]);
    err
}

#[test]
fn deeply_nested_json_is_refused_not_overflowed() {
    let dir = Dir::new();
    let c = dir.content_copy("c");
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    // The schema rejects the first bracket, so nothing recurses.
    std::fs::write(c.join("guideline.json"), &deep).unwrap();
    let err = build_fails(&dir, &["--content", "c"]);
    util::assert_contains(&err, &["c/guideline.json: [0]: invalid type: sequence"]);
    std::fs::write(
        c.join("guideline.json"),
        format!("{{\"schema_version\": {deep}}}"),
    )
    .unwrap();
    let err = build_fails(&dir, &["--content", "c"]);
    util::assert_contains(
        &err,
        &["c/guideline.json: schema_version: invalid type: sequence, expected u32"],
    );
    dir.write("deep.jsonl", format!("{deep}\n"));
    let err = dir
        .run(&[
            "batch",
            "deep.jsonl",
            "--out-dir",
            "o",
            "--region",
            "lumbar",
        ])
        .exits(1);
    util::assert_contains(
        &err,
        &["row 1 (line 1): is not valid JSON: recursion limit exceeded"],
    );
}

#[test]
fn empty_and_truncated_content() {
    let dir = Dir::new();
    let c = dir.content_copy("c");
    let no_blocks = r#"{"schema_version": 1, "meta": {"title": {"full": "T"}, "source": "S", "content_version": "1", "content_date": "2026-01-01", "language": "da-DK"}, "blocks": []}"#;
    // Each file is spoilt in turn, on top of the ones before.
    let cases: [(&str, &[u8], &[&str]); 3] = [
        (
            "guideline.json",
            no_blocks.as_bytes(),
            &[
                "c/guideline.json: blocks: must hold at least one block",
                "no red_flags block covers lumbar; every handout must carry the red-flag warning",
            ],
        ),
        (
            "guideline.json",
            b"",
            &["c/guideline.json: EOF while parsing a value at line 1 column 0"],
        ),
        (
            "labels.json",
            b"\xff\xfe{",
            &["c/labels.json: is not UTF-8 (invalid byte at offset 0); save it as UTF-8"],
        ),
    ];
    for (file, contents, says) in cases {
        std::fs::write(c.join(file), contents).unwrap();
        util::assert_contains(&build_fails(&dir, &["--content", "c"]), says);
    }
}

#[test]
fn huge_files_are_refused_before_reading() {
    let dir = Dir::new();
    dir.content_copy("c");
    let cases = [
        (
            "c/guideline.json",
            5 * 1024 * 1024,
            ["--content", "c"],
            "c/guideline.json: is 5242880 bytes; content files may be at most 4194304 bytes",
        ),
        (
            "huge.json",
            2 * 1024 * 1024,
            ["--clinic", "huge.json"],
            "huge.json: is larger than 1 MB; is it the right file?",
        ),
    ];
    for (file, len, args, says) in cases {
        let f = std::fs::File::create(dir.path(file)).unwrap();
        f.set_len(len).unwrap();
        util::assert_contains(&build_fails(&dir, &args), &[says]);
    }
}

#[test]
fn a_directory_where_a_file_is_expected() {
    let dir = Dir::new();
    std::fs::create_dir(dir.path("d")).unwrap();
    let err = build_fails(&dir, &["--clinic", "d"]);
    util::assert_contains(
        &err,
        &["the clinic profile has 1 problem:\n  d: is a directory, expected a JSON file"],
    );
    let err = dir
        .run(&["batch", "d", "--format", "csv", "--out-dir", "o"])
        .fails(1);
    assert_eq!(
        err,
        "pjece: cannot read d: is a directory, expected a CSV or JSON Lines file\n"
    );
    let c = dir.content_copy("c");
    std::fs::remove_file(c.join("labels.json")).unwrap();
    std::fs::create_dir(c.join("labels.json")).unwrap();
    let err = build_fails(&dir, &["--content", "c"]);
    util::assert_contains(
        &err,
        &["c/labels.json: is a directory, expected a JSON file"],
    );
    dir.write("file", "x");
    let err = build_fails(&dir, &["--content", "file"]);
    assert_eq!(err, "pjece: content directory file: is not a directory\n");
}

#[test]
fn a_font_file_that_is_not_a_font() {
    let dir = Dir::new();
    let fonts = dir.path("fonts");
    std::fs::create_dir(&fonts).unwrap();
    std::fs::write(fonts.join("regular.ttf"), b"this is not a font").unwrap();
    std::fs::write(fonts.join("bold.ttf"), b"neither is this").unwrap();
    let err = build_fails(&dir, &["--fonts", "fonts"]);
    util::assert_contains(
        &err,
        &["pjece: font fonts/regular.ttf: is not a usable TrueType/OpenType font"],
    );
    std::fs::remove_file(fonts.join("bold.ttf")).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts/AtkinsonHyperlegibleNext-Regular.ttf"),
        fonts.join("regular.ttf"),
    )
    .unwrap();
    let err = build_fails(&dir, &["--fonts", "fonts"]);
    util::assert_contains(
        &err,
        &["font fonts/bold.ttf: does not exist; a font directory holds bold.ttf (or .otf)"],
    );
    // A real font pair works.
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts/AtkinsonHyperlegibleNext-Bold.ttf"),
        fonts.join("bold.ttf"),
    )
    .unwrap();
    dir.handout("lumbar", &["--fonts", "fonts"], "ok.pdf");
}

#[test]
fn an_empty_or_headerless_batch_input() {
    let dir = Dir::new();
    dir.write("empty.csv", "");
    let err = dir.run(&["batch", "empty.csv", "--out-dir", "o"]).fails(1);
    assert_eq!(
        err,
        "pjece: empty.csv: is empty; expected a header row naming the columns\n"
    );
    dir.write("nohead.csv", "Søren;lænd\n");
    let err = dir.run(&["batch", "nohead.csv", "--out-dir", "o"]).fails(1);
    util::assert_contains(
        &err,
        &["the first row names no known column; expected a header row with some of: name/navn"],
    );
    // A header without rows is most likely the wrong export: an error, not "wrote 0".
    dir.write("only-header.csv", "navn;region\n");
    let err = dir
        .run(&["batch", "only-header.csv", "--out-dir", "o"])
        .fails(1);
    util::assert_contains(&err, &["has no rows"]);
    assert!(!dir.path("o").exists());
}

#[test]
fn odd_unicode_in_names_prints_or_fails_by_name() {
    let dir = Dir::new();
    for name in [
        "Nguyễn Thị Ánh",
        "Łukasz Żółć",
        "O'Brien-Groß",
        "Zoë Ærenfeldt-Müller",
        "Ådne Øvergård",
    ] {
        let run = dir.build(&["--region", "lumbar", "--patient", name, "-o", "n.pdf"]);
        if run.output.status.success() {
            assert!(
                util::text(&dir.path("n.pdf")).contains(&format!("Til: {name}")),
                "{name}"
            );
        } else {
            let err = run.stderr();
            assert!(
                err.starts_with("pjece: --patient contains U+"),
                "{name}: {err}"
            );
            assert!(
                err.contains("which the font Atkinson Hyperlegible Next"),
                "{name}: {err}"
            );
        }
    }
    // Zero-width joiners and combining marks are characters too; the font decides.
    for odd in ["A\u{200D}B", "e\u{0301}", "\u{FEFF}Anna"] {
        let run = dir.build(&["--region", "lumbar", "--patient", odd, "-o", "z.pdf"]);
        assert!(
            run.output.status.code() == Some(0)
                || run.stderr().contains("pjece: --patient contains U+"),
            "{odd:?}: {}",
            run.stderr()
        );
    }
}
