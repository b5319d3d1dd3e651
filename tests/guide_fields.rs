//! The therapist's guide is no patient's document: the library refuses a patient's field with
//! it, and each edge names the field its own way: the command line by its option, a batch row
//! by its column, the JSON API by its key. Nothing is written, and the name is never echoed.

mod util;

#[path = "util/http.rs"]
mod http;

use std::process::Stdio;

use pjece::batch::input::{Column, Place, RowError, RowProblem};
use pjece::batch::job;
use pjece::content::{Audience, Region};
use pjece::field::Field;
use pjece::select::{Choices, PATIENT_ONLY};
use util::Dir;

/// `pjece build --audience therapist --patient NAME` fails with exit 1, names `--patient`, and
/// writes no PDF; so do the other patient's options.
#[test]
fn the_command_line_refuses_a_patients_name_in_the_guide() {
    let dir = Dir::new();
    let guide = |extra: &[&str]| {
        let mut args = vec![
            "--region",
            "lumbar",
            "--audience",
            "therapist",
            "-o",
            "guide.pdf",
        ];
        args.extend_from_slice(extra);
        dir.build(&args)
    };
    let err = guide(&["--patient", "Karin Holm"]).fails(1);
    assert_eq!(
        err.lines().next().unwrap(),
        "pjece: --patient is for the patient handout; the therapist's guide (--audience \
         therapist) lists all advice and prints nothing of one patient's, so leave it out",
    );
    assert!(!err.contains("Karin"), "{err}");
    assert!(dir.listing().is_empty(), "{:?}", dir.listing());

    let err = guide(&["--no-qr"]).fails(1);
    assert!(
        err.starts_with("pjece: --no-qr is for the patient handout"),
        "{err}"
    );
    // The therapist's own name and large print belong in the guide.
    guide(&["--therapist", "Jens Lund", "--large-print"]).ok();
}

/// A batch row is said of its column: `column name`, at its row. (A batch file has no
/// audience column, so a library caller that asks rows for the guide meets this.)
#[test]
fn a_batch_row_names_the_column() {
    let mut choices = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 30));
    choices.audience = Audience::Therapist;
    choices.patient = Some("Karin Holm".into());
    let content = pjece::content::Content::embedded().expect("the embedded content");
    let error = pjece::select::select(&content, None, &choices).expect_err("a name is refused");
    let (column, message) = job::describe(&error, &choices);
    let row = RowError {
        row: 3,
        at: Place::SheetRow(4),
        column,
        message,
        problem: RowProblem::Other,
    };
    assert_eq!(
        row.to_string(),
        "row 3 (spreadsheet row 4), column name: is for the patient handout; the therapist's \
         guide lists all advice and prints nothing of one patient's, so leave it out"
    );
    assert_eq!(row.column, Some(Column::Name));
    // Every patient's field with a column of its own is named by it.
    for &field in PATIENT_ONLY {
        let error = pjece::Error::NotInTherapistGuide { field };
        assert_eq!(
            job::describe(&error, &choices).0,
            job::column(field),
            "{field:?}"
        );
    }
    assert!(PATIENT_ONLY.contains(&Field::Patient));
}

/// The JSON API answers 422 with the error at the key `name`, in Danish, without the name.
#[test]
fn the_api_refuses_a_patients_name_in_the_guide_at_its_key() {
    let dir = Dir::new();
    let (mut child, port) =
        http::spawn(http::serve_command(dir.root(), &["--no-clinic"]).stderr(Stdio::piped()));
    let api = |json: &str| {
        http::request(
            port,
            "POST",
            "/api/handout",
            &[("Content-Type", "application/json")],
            json.as_bytes(),
        )
    };
    let a = api(r#"{"region":"lumbar","audience":"therapist","name":"Karin Holm"}"#);
    assert_eq!(a.status, 422, "{}", a.text());
    let json = a.json();
    assert_eq!(json["errors"][0]["field"], "name", "{json}");
    assert_eq!(
        json["errors"][0]["message"],
        "Patientens navn kommer ikke med i samtaleguiden. Det hører kun til pjecen til patienten.",
    );
    assert!(!a.text().contains("Karin"));
    let a = api(r#"{"region":"lumbar","audience":"therapist","no_qr":true}"#);
    assert_eq!(a.status, 422, "{}", a.text());
    assert_eq!(a.json()["errors"][0]["field"], "no_qr");
    // The guide itself is made.
    let a = api(r#"{"region":"lumbar","audience":"therapist","therapist":"Jens Lund"}"#);
    assert_eq!(a.status, 200, "{}", a.text());
    assert!(a.body.starts_with(b"%PDF-"));
    let _ = http::kill_for_stderr(&mut child);
}
