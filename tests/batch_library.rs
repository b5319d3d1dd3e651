//! `batch::run` called as a library: the limits the command line enforces hold here too, and
//! the caller learns the row count from the batch's own pass over the input.

use std::path::Path;

use pjece::Engine;
use pjece::batch::input::{Encoding, Format};
use pjece::batch::{self, Event, job::Defaults};
use pjece::content::Variant;

fn options(dir: &Path, jobs: usize) -> batch::Options {
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
        combined: None,
        duplex: false,
        check: false,
        force: false,
        jobs,
        date_given: true,
        cancel: None,
    }
}

#[test]
fn worker_threads_out_of_range_are_refused_before_anything_is_made() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.csv"), "name;region\nAnna;lumbar\n").unwrap();
    let engine = Engine::embedded().unwrap();
    for jobs in [0, batch::MAX_JOBS + 1, 100_000] {
        let mut events = 0;
        let err = batch::run(&engine, &options(dir.path(), jobs), &mut |_| events += 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!("a batch runs with 1 to 256 worker threads, not {jobs}")
        );
        assert_eq!(events, 0);
        assert!(!dir.path().join("out").exists(), "{jobs}: nothing is made");
    }
    let summary = batch::run(&engine, &options(dir.path(), batch::MAX_JOBS), &mut |_| {});
    assert_eq!(summary.unwrap().written, 1);
}

#[test]
fn the_row_count_comes_before_the_first_row() {
    let dir = tempfile::tempdir().unwrap();
    // Four rows with data; a blank row and Excel's ";;" rows below the data are no rows.
    std::fs::write(
        dir.path().join("in.csv"),
        "name;region;note\nA;lumbar;\n;;\nB;cervical;\"two\nlines\"\n\nC;lumbar;\nD;hofte;\n;;\n",
    )
    .unwrap();
    let engine = Engine::embedded().unwrap();
    let mut seen = Vec::new();
    let summary = batch::run(&engine, &options(dir.path(), 2), &mut |event| {
        seen.push(match event {
            Event::Started { rows } => format!("started {rows}"),
            Event::Progress { done } => format!("done {done}"),
            Event::Failed(e) => format!("failed row {}", e.row),
            Event::Warning(_) => "warning".into(),
        })
    })
    .unwrap();
    assert_eq!(
        seen,
        [
            "started 4",
            "done 1",
            "done 2",
            "done 3",
            "failed row 6",
            "done 4"
        ]
    );
    assert_eq!((summary.rows, summary.written, summary.failed), (4, 3, 1));
}
