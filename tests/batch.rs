//! `pjece batch`: every good row becomes a handout naming its patient, every bad row is reported
//! by row and column, and no file ever lands outside the output directory or half-written.

mod util;

use std::path::PathBuf;
use util::{Dir, batch, files, text};

fn fixture(name: &str) -> String {
    util::fixture_path(name).to_str().unwrap().to_string()
}

#[test]
fn csv_export_good_rows_written_bad_rows_reported() {
    let dir = Dir::new();
    let run = batch(&dir, &fixture("patients.csv"), &[]);
    let err = run.exits(1);
    assert_eq!(run.stdout(), "wrote 4 handouts to out; 6 rows failed\n");
    let out = dir.path("out");
    assert_eq!(
        files(&out),
        [
            "0001-aeroe-soeren.pdf",
            "0002-aase-oeberg-hansen.pdf",
            "0003-bjoern-oedegaard.pdf",
            "0011-mads-soerensen.pdf"
        ]
    );

    let t = text(&out.join("0001-aeroe-soeren.pdf"));
    util::assert_contains(
        &t,
        &[
            "Nerverodspåvirkning i lænden",
            "Til: Ærø, Søren",
            "Fysioterapeut: Mette Kjær",
        ],
    );
    assert!(
        t.contains("Dato: 3. december 2026"),
        "Danish date format read"
    );
    assert!(
        t.contains("Husk øvelserne; også i weekenden"),
        "quoted separator kept"
    );
    assert!(
        t.contains("Hold dig fysisk aktiv") && !t.contains("Bliv ved med at bevæge dig"),
        "advice column chose two"
    );
    let t = text(&out.join("0002-aase-oeberg-hansen.pdf"));
    util::assert_contains(
        &t,
        &["Nerverodspåvirkning i nakken", "Til: Åse Øberg-Hansen"],
    );
    assert!(
        t.contains("Fysioterapeut: Jens \"Gnisten\" Holm"),
        "doubled quotes"
    );
    assert!(
        !t.contains("Smerterne kan opstå pludseligt eller udvikle sig gradvist. Årsagen"),
        "short variant"
    );
    let t = text(&out.join("0003-bjoern-oedegaard.pdf"));
    assert!(
        t.contains("To linjer: først varme, så øvelser"),
        "newline inside a quoted cell"
    );
    assert!(
        !t.contains("Opnå eller bevar sund vægt") && !t.contains("Udsigterne er gode"),
        "omit with |"
    );
    assert!(
        text(&out.join("0011-mads-soerensen.pdf")).contains("Nerverodspåvirkning i nakken"),
        "NAKKE in capitals"
    );

    let expected = [
        "row 4 (spreadsheet row 5), column advice: the id is not known; valid ids:",
        "row 5 (spreadsheet row 6), column region: is not a region; use lumbar (lænd) or cervical (nakke)",
        "row 6 (spreadsheet row 7), column date: is not a date",
        "row 7 (spreadsheet row 8), column name: is 87 characters long; at most 80 fit on the handout",
        "row 8 (spreadsheet row 9), column name: contains U+202E, a bidirectional override",
        "row 10 (spreadsheet row 11), column omit: 'roede-flag' is the red-flag warning",
    ];
    for e in expected {
        assert!(err.contains(e), "missing {e:?} in\n{err}");
    }
    assert_eq!(
        err.matches("warning: ignoring columns 'CPR', 'Telefon'")
            .count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("name/navn, region, variant, advice/råd"),
        "accepted names listed"
    );
    assert!(
        err.ends_with("pjece: 6 of 10 rows failed; they are listed above\n"),
        "{err}"
    );
    assert!(
        run_stdout(&dir, &fixture("patients.csv"))
            .contains("wrote 0 handouts to out; kept 4 unchanged")
    );
    // Patient data of failed rows is not echoed.
    for secret in [
        "Ukendt Råd",
        "Forkert Region",
        "31-02-2026",
        "Langt Navn",
        "Skjult",
        "010101-1234",
        "flyv",
    ] {
        assert!(!err.contains(secret), "{secret:?} echoed in\n{err}");
    }
}

fn run_stdout(dir: &Dir, input: &str) -> String {
    let run = batch(dir, input, &[]);
    run.stdout()
}

#[test]
fn json_lines_with_bad_rows_and_unsafe_file_names() {
    let dir = Dir::new();
    let err = batch(&dir, &fixture("patients.jsonl"), &[]).exits(1);
    assert_eq!(
        dir.handouts(),
        [
            "0001-soeren-aeroe.pdf",
            "0002-aase-aasa-oeberg.pdf",
            "faelles.pdf"
        ]
    );
    assert_eq!(
        files(dir.root()),
        ["out"],
        "nothing escaped the output directory"
    );
    let t = text(&dir.path("out/0002-aase-aasa-oeberg.pdf"));
    util::assert_contains(
        &t,
        &[
            "Til: Åse \"Åsa\" Øberg",
            "Ring, hvis det bliver værre; vi ses tirsdag.",
        ],
    );
    for e in [
        "row 3 (line 4), column advice: the id is not valid for cervical",
        "row 4 (line 5), column note: must be text, not a number",
        "row 5 (line 6), column file: must be a file name, not a path",
        "row 7 (line 8), column file: this row's file name is row 6's too",
        "row 8 (line 9): is not valid JSON",
        "warning: ignoring column 'phone'",
    ] {
        assert!(err.contains(e), "missing {e:?} in\n{err}");
        assert!(
            !err.to_lowercase().contains("faelles"),
            "a cell's value in\n{err}"
        );
    }
}

#[test]
fn existing_files_are_kept_unless_forced_and_a_rerun_finishes_the_job() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "name,region\nAnna,lumbar\nBo,cervical\nCarl,lumbar\n",
    );
    std::fs::create_dir(dir.path("out")).unwrap();
    let someone_elses = b"%PDF-1.4\n% not made by pjece\ntrailer\n%%EOF\n";
    dir.write("out/0002-bo.pdf", someone_elses);
    let run = batch(&dir, "in.csv", &[]);
    assert!(
        run.exits(1)
            .contains("row 2 (spreadsheet row 3): out/0002-….pdf exists and was not made by pjece; --force replaces it"),
        "not Bo's handout, so not kept"
    );
    assert_eq!(
        run.stdout(),
        "wrote 2 handouts to out; 1 row failed (1 differs from its existing file; --force replaces it)\n"
    );
    assert_eq!(
        std::fs::read(dir.path("out/0002-bo.pdf")).unwrap(),
        someone_elses
    );
    std::fs::remove_file(dir.path("out/0002-bo.pdf")).unwrap();
    batch(&dir, "in.csv", &[]).ok();

    // An interrupted run leaves some files; running again writes only the missing ones.
    std::fs::remove_file(dir.path("out/0003-carl.pdf")).unwrap();
    let first = std::fs::read(dir.path("out/0001-anna.pdf")).unwrap();
    let out = batch(&dir, "in.csv", &[]).ok().stdout();
    util::assert_starts_with(&out, "wrote 1 handout to out; kept 2");
    assert_eq!(std::fs::read(dir.path("out/0001-anna.pdf")).unwrap(), first);

    // A file a power cut left empty is not a handout to keep: the row fails and says so, and
    // the file is left for the user to judge.
    dir.write("out/0001-anna.pdf", b"");
    let run = batch(&dir, "in.csv", &[]);
    let err = run.exits(1);
    assert!(
        err.contains("row 1 (spreadsheet row 2): ")
            && err.contains("out/0001-….pdf already exists but is not a complete PDF")
            && !err.contains("anna")
            && err.contains("--force")
    );
    util::assert_contains(&run.stdout(), &["kept 2 unchanged; 1 row failed\n"]);
    assert_eq!(std::fs::read(dir.path("out/0001-anna.pdf")).unwrap(), b"");

    let out = batch(&dir, "in.csv", &["--force"]).ok().stdout();
    util::assert_starts_with(&out, "wrote 3 handouts");
    assert!(text(&dir.path("out/0002-bo.pdf")).contains("Til: Bo"));
    assert_eq!(
        dir.handouts(),
        ["0001-anna.pdf", "0002-bo.pdf", "0003-carl.pdf"],
        "no temporary files left"
    );
}

#[test]
fn check_mode_reports_everything_and_writes_nothing() {
    let dir = Dir::new();
    let run = batch(
        &dir,
        &fixture("patients.csv"),
        &["--check", "--combined", "all.pdf"],
    );
    assert!(
        run.stdout()
            .starts_with("checked 10 rows: 4 ok; 6 rows failed"),
        "{}",
        run.stdout()
    );
    let err = run.exits(1);
    util::assert_contains(&err, &["column advice", "column omit"]);
    assert_eq!(
        dir.listing(),
        Vec::<String>::new(),
        "--check writes nothing, not even the directory"
    );
}

#[test]
fn combined_pdf_for_the_printer() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "navn;region;variant\nAnna Ås;lænd;kort\nBo Bæk;nakke;fuld\n",
    );
    batch(&dir, "in.csv", &["--combined", "alle.pdf", "--duplex"]).ok();
    let pages = |p: &PathBuf| util::info(p)["Pages"].parse::<usize>().unwrap();
    let a = pages(&dir.path("out/0001-anna-aas.pdf"));
    let b = pages(&dir.path("out/0002-bo-baek.pdf"));
    let even = |n: usize| n + n % 2;
    let combined = dir.path("alle.pdf");
    assert_eq!(pages(&combined), even(a) + even(b));
    // Each handout keeps its own page numbers and starts on a new sheet.
    let first_of_b = even(a) + 1;
    assert!(util::page_text(&combined, 1).contains(&format!("Side 1 af {a}")));
    let p = util::page_text(&combined, first_of_b);
    util::assert_contains(&p, &["Til: Bo Bæk", &format!("Side 1 af {b}")]);
    // One font of each weight, embedded once; a bookmark per patient.
    assert_eq!(util::fonts(&combined).len(), 2);
    let json = std::process::Command::new("qpdf")
        .args(["--json", "--json-key=outlines", combined.to_str().unwrap()])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let marks: Vec<(String, u64)> = json["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_string(),
                o["destpageposfrom1"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            ("0001 Anna Ås".to_string(), 1),
            ("0002 Bo Bæk".to_string(), first_of_b as u64)
        ]
    );
    assert_eq!(util::info(&combined)["Tagged"], "yes");

    // Running the same command again keeps the handouts and replaces the combined file.
    let before = std::fs::read(&combined).unwrap();
    std::fs::write(&combined, b"an old printer's file").unwrap();
    let a_mtime = || {
        std::fs::metadata(dir.path("out/0001-anna-aas.pdf"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let kept = a_mtime();
    let run = batch(&dir, "in.csv", &["--combined", "alle.pdf", "--duplex"]).ok();
    assert!(
        run.stdout()
            .starts_with("wrote 0 handouts to out; kept 2 unchanged"),
        "{}",
        run.stdout()
    );
    assert_eq!(a_mtime(), kept, "handouts not rewritten");
    assert_eq!(std::fs::read(&combined).unwrap(), before);
    assert_eq!(
        run.stderr(),
        "",
        "the kept handouts match the combined file"
    );

    // A kept handout always equals its pages in the combined file: a file that is not the
    // row's handout fails the row, which stays out of the combined file.
    dir.write("out/0002-bo-baek.pdf", b"%PDF-1.7\nsomeone else's\n%%EOF\n");
    let run = batch(&dir, "in.csv", &["--combined", "alle.pdf", "--duplex"]);
    assert!(
        run.exits(1)
            .contains("row 2 (spreadsheet row 3): out/0002-….pdf exists and was not made by pjece")
    );
    assert!(
        run.stdout()
            .contains(&format!("; 1 handout, {} pages in alle.pdf", even(a))),
        "{}",
        run.stdout()
    );
    assert!(!text(&combined).contains("Bo Bæk"));
}

#[test]
fn batch_output_equals_a_single_build() {
    let dir = Dir::new();
    dir.write("in.jsonl", "{\"name\": \"Søren Ærø\", \"region\": \"nakke\", \"advice\": \"hold-dig-aktiv tag-ansvar\", \"note\": \"Hej\"}\n");
    batch(&dir, "in.jsonl", &[]).ok();
    dir.handout(
        "cervical",
        &[
            "--patient",
            "Søren Ærø",
            "--advice",
            "hold-dig-aktiv,tag-ansvar",
            "--note",
            "Hej",
        ],
        "single.pdf",
    );
    assert!(
        std::fs::read(dir.path("out/0001-soeren-aeroe.pdf")).unwrap()
            == std::fs::read(dir.path("single.pdf")).unwrap()
    );
}

#[test]
fn windows_1252_is_refused_with_advice_or_decoded_when_asked() {
    let dir = Dir::new();
    let err = batch(&dir, &fixture("windows-1252.csv"), &[]).fails(1);
    util::assert_contains(
        &err,
        &[
            "is not UTF-8 text: byte 0xF8 at line 2",
            "'CSV UTF-8 (kommasepareret) (*.csv)'",
            "--encoding windows-1252",
        ],
    );
    assert!(!dir.path("out").exists() || dir.handouts().is_empty());
    batch(
        &dir,
        &fixture("windows-1252.csv"),
        &["--encoding", "windows-1252"],
    )
    .ok();
    assert!(text(&dir.path("out/0001-soeren-aeroe.pdf")).contains("Til: Søren Ærø"));
    assert!(text(&dir.path("out/0002-aase-oeberg.pdf")).contains("Nerverodspåvirkning i nakken"));
}

#[test]
fn input_level_errors() {
    let dir = Dir::new();
    dir.write("noregion.csv", "name\nAnna\n");
    let err = batch(&dir, "noregion.csv", &[]).fails(1);
    util::assert_contains(
        &err,
        &["there is no region column (region), so give the region for every row with --region"],
    );
    batch(&dir, "noregion.csv", &["--region", "lænd"]).ok();
    assert!(dir.path("out/0001-anna.pdf").exists());

    let err = dir
        .run(&["batch", "missing.csv", "--out-dir", "o"])
        .fails(1);
    assert_eq!(err, "pjece: cannot read missing.csv: does not exist\n");
    dir.write("data.xlsx", b"PK");
    let err = dir.run(&["batch", "data.xlsx", "--out-dir", "o"]).fails(1);
    util::assert_contains(
        &err,
        &["cannot tell the format from the extension; use --format csv or --format jsonl"],
    );
    dir.write("file", b"");
    let err = dir
        .run(&[
            "batch",
            "noregion.csv",
            "--region",
            "lænd",
            "--out-dir",
            "file",
        ])
        .fails(1);
    util::assert_contains(&err, &["cannot write file: is not a directory"]);
}

#[test]
fn personal_columns_goals_ladder_next_qr_large_print() {
    let dir = Dir::new();
    dir.write("in.csv", "navn;region;mål;trin;næste tid;qr;stor skrift\n\
         Anna;lænd;Gå 20 minutter | Cykle igen;Gå 5 min|Gå 10 min;2026-12-03 10:30;https://eksempel.dk/a;ja\n\
         Bo;nakke;tom;tom;;;nej\n\
         Carl;nakke;;;3/12;;\n\
         Dora;nakke;;;;;måske\n");
    let err = batch(&dir, "in.csv", &[]).exits(1);
    let t = text(&dir.path("out/0001-anna.pdf"));
    util::assert_contains(
        &t,
        &[
            "Næste tid: torsdag den 3. december kl. 10.30",
            "Dine mål • Gå 20 minutter",
            "• Cykle igen",
            "Trin 2 Gå 10 min Trin 1 Gå 5 min",
            "https://eksempel.dk/a",
        ],
    );
    let t = text(&dir.path("out/0002-bo.pdf"));
    util::assert_contains(
        &t,
        &["Skriv dine mål her", "Trin 5 Trin 4 Trin 3 Trin 2 Trin 1"],
    );
    util::assert_contains(
        &err,
        &[
            "row 3 (spreadsheet row 4), column next: is not a date and time",
            "row 4 (spreadsheet row 5), column large print: is not yes or no",
        ],
    );
}

#[test]
fn the_clinic_profile_applies_to_every_row() {
    let dir = Dir::new();
    for f in ["clinic.json", "logo.png"] {
        dir.fixture(f);
    }
    dir.write("in.csv", "navn;region\nAnna;lænd\nBo;nakke\n");
    batch(&dir, "in.csv", &["--clinic", "clinic.json"]).ok();
    for f in ["0001-anna.pdf", "0002-bo.pdf"] {
        let t = text(&dir.path("out").join(f));
        assert!(
            t.contains("Fysioterapi Ærø Vestergade 1") && t.contains("lægevagten på 70 11 31 31"),
            "{f}"
        );
    }
}

#[test]
fn leftovers_of_a_killed_run_are_tidied_up() {
    let dir = Dir::new();
    dir.write("in.csv", "navn;region\nAnna;lænd\n");
    let (old, fresh) = dir.leftovers("out");
    let out = batch(&dir, "in.csv", &[]).ok().stdout();
    util::assert_contains(&out, &["removed 1 temporary file an interrupted run left"]);
    assert!(!old.exists() && fresh.exists(), "only old leftovers go");
}

#[test]
fn file_names_in_messages_do_not_repeat_the_patients_name() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "name,region,file\nAnna Berg,lumbar,\nBo,lumbar,0001-anna-berg.pdf\nCarl,lumbar,\n",
    );
    let run = batch(&dir, "in.csv", &[]);
    let err = run.exits(1);
    util::assert_contains(
        &err,
        &["row 2 (spreadsheet row 3), column file: this row's file name is row 1's too"],
    );
    assert!(!err.to_lowercase().contains("anna"), "{err}");

    // A write that fails (here: a file size limit, as a full disk would) names the row's file
    // without the name.
    std::fs::remove_dir_all(dir.path("out")).unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 8; exec '{}' batch in.csv --out-dir out --date 2026-11-26 2>err.txt",
            env!("CARGO_BIN_EXE_pjece")
        ))
        .current_dir(dir.root())
        .env("XDG_CONFIG_HOME", dir.path("no-config"))
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let err = std::fs::read_to_string(dir.path("err.txt")).unwrap();
    util::assert_contains(
        &err,
        &["row 1 (spreadsheet row 2): cannot write out/0001-….pdf: file too large"],
    );
    assert!(
        !err.to_lowercase().contains("anna") && !err.contains("carl"),
        "{err}"
    );
    assert_eq!(dir.handouts(), Vec::<String>::new(), "no partial file");
}

#[test]
fn a_directory_where_a_handout_goes_is_named_as_such() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\nBo,lumbar\n");
    std::fs::create_dir_all(dir.path("out/0001-anna.pdf")).unwrap();
    for force in [&[][..], &["--force"][..]] {
        let run = batch(&dir, "in.csv", force);
        let err = run.exits(1);
        assert!(err.contains("row 1 (spreadsheet row 2): out/0001-….pdf is a directory, where this row's handout should go"
            ) && !err.contains("not a complete PDF"));
        assert!(dir.path("out/0002-bo.pdf").exists());
    }
}

/// Runs pjece with standard output and error as given; returns the exit code and stderr.
#[cfg(target_os = "linux")]
fn run_with(
    dir: &Dir,
    args: &[&str],
    stdout: std::process::Stdio,
    full_stderr: bool,
) -> (Option<i32>, String) {
    use std::process::{Command, Stdio};
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pjece"));
    cmd.args(args)
        .current_dir(dir.root())
        .env("XDG_CONFIG_HOME", dir.path("no-config"))
        .stdout(stdout);
    if full_stderr {
        cmd.stderr(std::fs::File::create("/dev/full").unwrap());
    } else {
        cmd.stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    // A reader that has gone away, as `| head -1` after its line.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[cfg(target_os = "linux")]
fn a_closed_or_full_standard_output_is_no_panic() {
    use std::process::Stdio;
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\nBo,hofte\n");
    let full = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
    let batch_args = util::BATCH_IN_CSV;
    let build_args = [&util::BUILD_LUMBAR[..5], &["-o", "-"]].concat();
    let list_args = ["list"];
    for args in [
        &batch_args[..],
        &build_args,
        &list_args,
        &["check"],
        &["--help"],
    ] {
        // A closed pipe: quiet, and only the batch's failed row makes it fail.
        let (code, err) = run_with(&dir, args, Stdio::piped(), false);
        let expected = if args[0] == "batch" { 1 } else { 0 };
        assert_eq!(code, Some(expected), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("standard output"),
            "{args:?}: {err}"
        );
        // A full disk: said once, exit 1.
        let (code, err) = run_with(&dir, args, full(), false);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(
            err.contains("pjece: cannot write to standard output: no space left on device\n")
                && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    // Nowhere to report: the exit code still tells (1 for the failed row, never a panic's 101).
    std::fs::remove_dir_all(dir.path("out")).unwrap();
    let (code, _) = run_with(&dir, &batch_args, Stdio::null(), true);
    assert_eq!(code, Some(1));
    let (code, _) = run_with(
        &dir,
        &["batch", "missing.csv", "--out-dir", "o"],
        full(),
        true,
    );
    assert_eq!(code, Some(1));
}

#[test]
fn jobs_is_checked_and_never_more_than_the_rows() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\n");
    for bad in ["0", "257", "20000"] {
        let err = dir
            .run(&["batch", "in.csv", "--out-dir", "out", "--jobs", bad])
            .fails(2);
        util::assert_contains(
            &err,
            &[&format!(
                "invalid value '{bad}' for '--jobs <N>': {bad} is not in 1..=256"
            )],
        );
    }
    assert!(!dir.path("out").exists());
    // 256 workers asked for, one row: quick, as one worker is all that starts.
    let start = std::time::Instant::now();
    dir.run(&["batch", "in.csv", "--out-dir", "out", "--jobs", "256"])
        .ok();
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert!(dir.path("out/0001-anna.pdf").exists());
}

#[test]
fn unusable_outputs_are_one_error_before_any_row() {
    let dir = Dir::new();
    let rows: String = (0..50).map(|i| format!("P{i},lumbar\n")).collect();
    dir.write("in.csv", format!("name,region\n{rows}"));
    dir.write("file.txt", b"not a directory");
    // Paths that fail for root too, unlike a read-only directory.
    let mut cases = vec![
        (
            vec!["--out-dir", "file.txt/sub"],
            "cannot write file.txt/sub: file.txt is not a directory",
        ),
        (
            vec!["--out-dir", "out", "--combined", "nodir/all.pdf"],
            "cannot write nodir/all.pdf: the directory nodir does not exist",
        ),
        (
            vec!["--out-dir", "out", "--combined", "file.txt/all.pdf"],
            "cannot write file.txt/all.pdf: file.txt is not a directory",
        ),
        (
            vec!["--out-dir", "out", "--combined", ".pdf"],
            "cannot write .pdf: is only an extension; name the combined file, e.g. samlet.pdf",
        ),
    ];
    if cfg!(target_os = "linux") {
        cases.push((
            vec!["--out-dir", "/proc/x"],
            "cannot write /proc/x: /proc does not accept new files",
        ));
    }
    for (outputs, expected) in cases {
        for check in [true, false] {
            let mut args = vec!["batch", "in.csv", "--date", "2026-11-26"];
            args.extend(&outputs);
            if check {
                args.push("--check");
            }
            let err = dir.run(&args).fails(1);
            assert_eq!(err, format!("pjece: {expected}\n"), "{args:?}");
        }
    }
    assert_eq!(dir.listing(), ["file.txt", "in.csv"], "nothing written");
}

#[test]
fn a_combined_file_takes_any_number_of_rows() {
    // It used to be built in memory and refused more than 5 000 rows before any work. Rows
    // without a region fail at once, so the 5 001 rows here take no time to lay out.
    let dir = Dir::new();
    let mut csv = String::from("navn;region\nAnna Ås;lænd\n");
    for i in 0..5000 {
        csv.push_str(&format!("P {i};\n"));
    }
    dir.write("many.csv", csv);
    let run = batch(&dir, "many.csv", &["--combined", "alle.pdf"]);
    let err = run.exits(1);
    assert!(
        err.ends_with("pjece: 5000 of 5001 rows failed; they are listed above\n"),
        "{err}"
    );
    let out = run.stdout();
    util::assert_contains(&out, &["; 1 handout, ", " pages in alle.pdf"]);
    assert!(util::page_text(&dir.path("alle.pdf"), 1).contains("Til: Anna Ås"));
}
