//! Running `pjece batch` again over the same output directory: a file is kept only when it is
//! exactly this row's handout; one made from other data fails its row and stays untouched, so
//! no patient is handed another patient's pages. File names stay recognisable in any script,
//! and the combined file is never left over from an earlier run.

mod util;

use std::path::Path;
use std::process::Command;
use util::{Dir, batch, files, text};

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// `pjece batch in.csv --out-dir out` without `--date`, on the day `day` (via
/// SOURCE_DATE_EPOCH, which stands in for the clock), plus `extra`.
fn batch_on(dir: &Dir, day: &str, extra: &[&str]) -> util::Run {
    let epoch = jiff::civil::Date::strptime("%Y-%m-%d", day)
        .unwrap()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .as_second();
    let mut args = vec!["batch", "in.csv", "--out-dir", "out", "--jobs", "2"];
    args.extend_from_slice(extra);
    let output = Command::new(env!("CARGO_BIN_EXE_pjece"))
        .args(&args)
        .current_dir(dir.root())
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .env("XDG_CONFIG_HOME", dir.root().join("no-config"))
        .env("NO_COLOR", "1")
        .output()
        .expect("pjece runs");
    util::Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        output,
    }
}

/// Rewrites the PDF at `path` with `creator` in its document information, as another program
/// (or another pjece version) would have made it.
fn set_creator(path: &Path, creator: &str) {
    let mut pdf = lopdf::Document::load(path).unwrap();
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    pdf.get_object_mut(info)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Creator", lopdf::Object::string_literal(creator));
    pdf.save(path).unwrap();
}

/// Writes the exports of two days, day1.csv and day2.csv, and batches the first into out/.
fn after_day_one(dir: &Dir, day1: &str, day2: &str) {
    dir.write("day1.csv", day1);
    dir.write("day2.csv", day2);
    batch(dir, "day1.csv", &[]).ok();
}

#[test]
fn cyrillic_names_of_two_days_do_not_share_a_file() {
    let dir = Dir::new();
    after_day_one(
        &dir,
        "name,region\nИван Петров,lumbar\n",
        "name,region\nОльга Смирнова,lumbar\n",
    );
    let run = batch(&dir, "day2.csv", &[]).ok();
    assert_eq!(run.stdout(), "wrote 1 handout to out; 0 rows failed\n");
    assert_eq!(
        dir.handouts(),
        ["0001-ivan-petrov.pdf", "0001-olga-smirnova.pdf"]
    );
    assert!(text(&dir.path("out/0001-olga-smirnova.pdf")).contains("Til: Ольга Смирнова"));
    assert!(text(&dir.path("out/0001-ivan-petrov.pdf")).contains("Til: Иван Петров"));
}

#[test]
fn greek_names_are_transliterated_and_danish_ones_folded_as_before() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "name,region\nΓιώργος Παπαδόπουλος,lumbar\nЮлия Щербакова,cervical\nSøren Ærø,lumbar\n\
         Þóra Guðmundsdóttir,lumbar\n",
    );
    batch(&dir, "in.csv", &["--check"]).ok();
    batch(&dir, "in.csv", &[]).ok();
    assert_eq!(
        dir.handouts(),
        [
            "0001-giorgos-papadopoulos.pdf",
            "0002-iuliia-shcherbakova.pdf",
            "0003-soeren-aeroe.pdf",
            "0004-thora-gudmundsdottir.pdf",
        ]
    );
}

#[test]
fn another_patients_file_under_the_same_name_fails_the_row() {
    let dir = Dir::new();
    after_day_one(
        &dir,
        "name,region,file\nAnna Berg,lumbar,kontrol\n",
        "name,region,file\nBo Holm,lumbar,kontrol\n",
    );
    let annas = std::fs::read(dir.path("out/kontrol.pdf")).unwrap();
    let run = batch(&dir, "day2.csv", &[]);
    let err = run.exits(1);
    assert_eq!(
        err,
        "pjece: day2.csv: row 1 (spreadsheet row 2): out/kontrol.pdf exists and was made from \
         other data; --force replaces it\n\
         pjece: 1 of 1 rows failed; they are listed above\n"
    );
    assert_eq!(
        run.stdout(),
        "wrote 0 handouts to out; 1 row failed (1 differs from its existing file; --force \
         replaces it)\n"
    );
    assert_eq!(std::fs::read(dir.path("out/kontrol.pdf")).unwrap(), annas);
}

#[test]
fn a_changed_region_or_note_under_an_unchanged_name_fails_the_row() {
    let dir = Dir::new();
    dir.write(
        "in.csv",
        "name,region,note\nAnna,lumbar,Hej\nBo,lumbar,Hej\n",
    );
    batch(&dir, "in.csv", &[]).ok();
    let anna = dir.path("out/0001-anna.pdf");
    let bo = dir.path("out/0002-bo.pdf");
    let (anna_bytes, bo_bytes) = (std::fs::read(&anna).unwrap(), std::fs::read(&bo).unwrap());
    let (anna_time, bo_time) = (modified(&anna), modified(&bo));

    dir.write(
        "in.csv",
        "name,region,note\nAnna,cervical,Hej\nBo,lumbar,Farvel\n",
    );
    for extra in [&[][..], &["--check"][..]] {
        let run = batch(&dir, "in.csv", extra);
        let err = run.exits(1);
        for row in [
            "row 1 (spreadsheet row 2): out/0001-….pdf",
            "row 2 (spreadsheet row 3): out/0002-….pdf",
        ] {
            assert!(
                err.contains(&format!(
                    "{row} exists and was made from other data; --force replaces it"
                )),
                "{extra:?}: {err}"
            );
        }
        assert!(
            !err.contains("Farvel") && !err.contains("anna"),
            "no patient data in messages: {err}"
        );
        assert!(
            run.stdout().contains(
                "2 rows failed (2 differ from their existing files; --force replaces them)"
            ),
            "{}",
            run.stdout()
        );
    }
    assert_eq!(std::fs::read(&anna).unwrap(), anna_bytes, "untouched");
    assert_eq!(std::fs::read(&bo).unwrap(), bo_bytes, "untouched");
    assert_eq!((modified(&anna), modified(&bo)), (anna_time, bo_time));

    // --force replaces them with what the rows say now.
    let run = batch(&dir, "in.csv", &["--force"]).ok();
    assert_eq!(run.stdout(), "wrote 2 handouts to out; 0 rows failed\n");
    assert!(text(&anna).contains("nakke"), "cervical now");
    assert!(text(&bo).contains("Farvel"));
    // And a rerun of the same rows keeps them.
    let run = batch(&dir, "in.csv", &[]).ok();
    assert_eq!(
        run.stdout(),
        "wrote 0 handouts to out; kept 2 unchanged; 0 rows failed\n"
    );
}

#[test]
fn an_identical_rerun_keeps_the_files_untouched() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\nBo,cervical\n");
    batch(&dir, "in.csv", &["--combined", "alle.pdf"]).ok();
    let anna = dir.path("out/0001-anna.pdf");
    let (bytes, time) = (std::fs::read(&anna).unwrap(), modified(&anna));
    let combined = std::fs::read(dir.path("alle.pdf")).unwrap();
    std::fs::remove_file(dir.path("out/0002-bo.pdf")).unwrap();
    let run = batch(&dir, "in.csv", &["--combined", "alle.pdf"]).ok();
    assert!(
        run.stdout()
            .starts_with("wrote 1 handout to out; kept 1 unchanged; 0 rows failed; 2 handouts, "),
        "{}",
        run.stdout()
    );
    assert_eq!(run.stderr(), "");
    assert_eq!(
        (std::fs::read(&anna).unwrap(), modified(&anna)),
        (bytes, time)
    );
    assert_eq!(std::fs::read(dir.path("alle.pdf")).unwrap(), combined);
}

#[test]
fn a_rerun_the_next_day_without_a_date_keeps_what_was_made() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\nBo,cervical\n");
    batch_on(&dir, "2026-11-26", &[]).ok();
    let anna = dir.path("out/0001-anna.pdf");
    let bytes = std::fs::read(&anna).unwrap();
    std::fs::remove_file(dir.path("out/0002-bo.pdf")).unwrap();

    // Finishing the batch the next day: Anna's handout keeps its day, Bo's gets the new one,
    // and the combined file shows each as it is on file.
    let run = batch_on(&dir, "2026-11-27", &["--combined", "alle.pdf"]).ok();
    assert!(
        run.stdout()
            .starts_with("wrote 1 handout to out; kept 1 unchanged; 0 rows failed")
    );
    assert_eq!(std::fs::read(&anna).unwrap(), bytes);
    assert!(text(&dir.path("out/0002-bo.pdf")).contains("27. november 2026"));
    let all = text(&dir.path("alle.pdf"));
    util::assert_contains(&all, &["26. november 2026", "27. november 2026"]);

    // A date given on purpose is data: a file with another date differs.
    let err = batch_on(&dir, "2026-11-27", &["--date", "2026-11-28"]).exits(1);
    util::assert_contains(
        &err,
        &["row 1 (spreadsheet row 2): out/0001-….pdf exists and was made from other data"],
    );
}

#[test]
fn a_file_not_made_by_pjece_or_by_another_version_is_not_kept() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\nBo,lumbar\n");
    std::fs::create_dir(dir.path("out")).unwrap();
    let someone_elses = b"%PDF-1.4\n% not made by pjece\ntrailer\n%%EOF\n";
    dir.write("out/0001-anna.pdf", someone_elses);
    let err = batch(&dir, "in.csv", &[]).exits(1);
    util::assert_contains(
        &err,
        &[
            "row 1 (spreadsheet row 2): out/0001-….pdf exists and was not made by pjece; --force replaces it",
        ],
    );
    assert_eq!(
        std::fs::read(dir.path("out/0001-anna.pdf")).unwrap(),
        someone_elses
    );

    // Bo's handout as another pjece version made it (its creator differs).
    let bo = dir.path("out/0002-bo.pdf");
    set_creator(&bo, "pjece 0.0.9");
    let theirs = std::fs::read(&bo).unwrap();
    let err = batch(&dir, "in.csv", &[]).exits(1);
    util::assert_contains(
        &err,
        &[&format!(
            "row 2 (spreadsheet row 3): out/0002-….pdf exists and was made by pjece 0.0.9, not \
             {}; --force replaces it",
            env!("CARGO_PKG_VERSION")
        )],
    );
    assert_eq!(std::fs::read(&bo).unwrap(), theirs);
    // A creator that is not pjece's shape is not repeated.
    set_creator(&bo, "pjece \u{1b}[2J");
    let err = batch(&dir, "in.csv", &[]).exits(1);
    assert!(
        err.contains("out/0002-….pdf exists and was not made by pjece;") && !err.contains('\u{1b}')
    );
}

#[test]
fn when_every_row_fails_no_combined_file_of_an_earlier_run_is_left() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\n");
    batch(&dir, "in.csv", &["--combined", "alle.pdf"]).ok();
    assert!(dir.path("alle.pdf").exists());
    dir.write("in.csv", "name,region\nBo,hofte\n");
    // --check touches nothing.
    batch(&dir, "in.csv", &["--combined", "alle.pdf", "--check"]).exits(1);
    assert!(dir.path("alle.pdf").exists());
    let run = batch(&dir, "in.csv", &["--combined", "alle.pdf"]);
    let err = run.exits(1);
    util::assert_contains(
        &err,
        &[
            "pjece: in.csv: warning: removed alle.pdf, an earlier run's combined file: no row of \
             this run made a handout to put in it",
        ],
    );
    assert!(
        !dir.path("alle.pdf").exists(),
        "the stale combined file is gone"
    );
}

#[test]
fn a_combined_files_leftover_outside_the_output_directory_is_tidied() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\n");
    // What a run killed while writing print/alle.pdf leaves behind.
    dir.write_an_hour_ago("print/.pjece-Xk3p9a.tmp", vec![0u8; 4096]);
    let run = batch(&dir, "in.csv", &["--combined", "print/alle.pdf"]).ok();
    util::assert_contains(
        &run.stdout(),
        &["removed 1 temporary file an interrupted run left"],
    );
    assert_eq!(files(&dir.path("print")), ["alle.pdf"]);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_as_output_directory_is_named_as_such() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAnna,lumbar\n");
    std::os::unix::fs::symlink("gone", dir.path("out")).unwrap();
    let err = batch(&dir, "in.csv", &[]).fails(1);
    assert_eq!(
        err,
        "pjece: cannot write out: is a symbolic link to gone, which does not exist; create \
         that directory, or remove the link\n"
    );
}

#[test]
fn a_fifo_named_like_a_handout_fails_its_row_without_hanging() {
    let dir = Dir::new();
    dir.write("in.csv", "name,region\nAse,lumbar\n");
    std::fs::create_dir(dir.path("out")).unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.path("out/0001-ase.pdf"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = batch(&dir, "in.csv", &[]);
    let err = run.stderr();
    assert_eq!(run.output.status.code(), Some(1), "{err}");
    util::assert_contains(&err, &["0001-….pdf", "FIFO"]);
}
