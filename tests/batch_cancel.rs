//! A batch stopped through `Options::cancel`, and the typed input errors a caller (the web
//! page) words itself: what the library tells besides the command line's sentence.

mod util;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pjece::Engine;
use pjece::batch::input::{Encoding, Format, InputError, NotText, Reader};
use pjece::batch::{self, Event, job::Defaults};
use pjece::content::Variant;

fn options(dir: &Path) -> batch::Options {
    batch::Options {
        input: dir.join("in.csv"),
        format: Format::Csv,
        encoding: Encoding::Utf8,
        out_dir: dir.join("out"),
        defaults: Defaults {
            region: None,
            variant: Variant::Full,
            date: jiff::civil::date(2026, 12, 3),
        },
        combined: Some(dir.join("out").join("samlet.pdf")),
        duplex: false,
        check: false,
        force: false,
        jobs: 2,
        date_given: true,
        cancel: None,
    }
}

#[test]
fn a_cancelled_batch_stops_within_a_few_rows_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), util::setup::lumbar_export(200)).unwrap();
    let engine = Engine::embedded().unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = batch::Options {
        cancel: Some(cancel.clone()),
        ..options(dir.path())
    };
    let mut total = 0;
    let summary = batch::run(&engine, &opts, &mut |e| match e {
        Event::Started { rows } => total = rows,
        Event::Progress { done: 3 } => cancel.store(true, Ordering::Relaxed),
        _ => {}
    })
    .unwrap();
    assert_eq!(total, 200);
    assert!(summary.cancelled);
    // The rows already handed to the two workers (and their channel) may finish; no more.
    assert!(
        (3..40).contains(&summary.rows),
        "{} rows done after the cancel at 3",
        summary.rows
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len() as u64, summary.written, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".pdf") && n != "samlet.pdf"),
        "no combined file and no temporary file: {names:?}"
    );
    for n in &names {
        let bytes = std::fs::read(dir.path().join("out").join(n)).unwrap();
        assert!(
            bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF"),
            "{n} is whole"
        );
    }

    // Not set: the same input runs to its end.
    let summary = batch::run(&engine, &options(dir.path()), &mut |_| {}).unwrap();
    assert!(!summary.cancelled);
    assert_eq!(summary.rows, 200);
    assert!(dir.path().join("out/samlet.pdf").exists());
}

#[test]
fn input_errors_say_what_the_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.csv");
    let open = |encoding| Reader::open(&p, Format::Csv, encoding).err().unwrap();

    std::fs::write(&p, b"PK\x03\x04\x14\0\0\0\x08\0rest of a workbook").unwrap();
    let e = open(Encoding::Utf8);
    assert!(
        matches!(
            e,
            InputError::NotText {
                kind: NotText::Workbook,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("is an Excel workbook, not CSV"),
        "{e}"
    );

    std::fs::write(&p, b"navn;region\r\nS\xF8ren;l\xE6nd\r\n").unwrap();
    let e = open(Encoding::Utf8);
    match &e {
        InputError::WrongEncoding {
            chosen, looks_like, ..
        } => assert_eq!(
            (*chosen, *looks_like),
            (Encoding::Utf8, Some(Encoding::Windows1252))
        ),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("--encoding windows-1252"), "{e}");

    std::fs::write(&p, "navn;region\nSøren;lænd\n").unwrap();
    let e = open(Encoding::Windows1252);
    assert!(
        matches!(
            e,
            InputError::WrongEncoding {
                chosen: Encoding::Windows1252,
                looks_like: Some(Encoding::Utf8),
                ..
            }
        ),
        "{e:?}"
    );
}
