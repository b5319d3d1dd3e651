//! A failed row's problem in Danish. The batch reports a row's problem as the command line's
//! sentence; the page says it from the typed errors instead: the row's record is read again
//! and turned into its choices (`job::job`: a problem of shape is said by its column), and the
//! handout laid out (the library's typed [`pjece::Error`], said as the form says it). What has
//! no typed cause (a cell the reader refused, a file name two rows share) keeps the command
//! line's sentence, which never repeats a value either.

use std::collections::HashMap;
use std::path::Path;

use pjece::Engine;
use pjece::batch::input::{Column, Encoding, Format, Reader, Record, RowError};
use pjece::batch::job::{self, Defaults};

use super::super::messages::field_error;

/// The rows of an input, by data row, to say their problems.
pub struct Rows<'a> {
    engine: &'a Engine,
    defaults: Defaults,
    records: HashMap<u64, Record>,
}

impl<'a> Rows<'a> {
    /// Reads the input's records (the batch has read it already, so it opens).
    pub fn read(
        engine: &'a Engine,
        input: &Path,
        format: Format,
        encoding: Encoding,
        defaults: &Defaults,
    ) -> Rows<'a> {
        let records = Reader::open(input, format, encoding)
            .map(|r| r.flatten().map(|rec| (rec.row, rec)).collect())
            .unwrap_or_default();
        Rows {
            engine,
            defaults: defaults.clone(),
            records,
        }
    }

    /// The row's problem in Danish, or the command line's sentence.
    pub fn message(&self, e: &RowError) -> String {
        let Some(record) = self.records.get(&e.row) else {
            return e.message.clone();
        };
        let job = match job::job(record, &self.defaults) {
            Ok(job) => job,
            Err(problem) => return shape(&problem, record),
        };
        let Ok(mut shaper) = self.engine.shaper() else {
            return e.message.clone();
        };
        match self.engine.layout(&job.choices, &mut shaper) {
            Err(pjece::Error::UnknownId { field, valid, .. }) => format!(
                "Et id i kolonnen »{}« findes ikke for dette område og denne udgave. Gyldige id'er: {}.",
                job::column(field).map_or("råd", super::messages::column),
                valid.join(", ")
            ),
            Err(pjece::Error::NoAdviceChosen) => {
                "Cellen nævner ingen råd; lad den være tom for at få alle råd med.".into()
            }
            Err(other) => field_error(&other).map_or_else(|| e.message.clone(), |f| f.message),
            // Laid out: the problem was the file's (a name another row has), said as is.
            Ok(_) => e.message.clone(),
        }
    }
}

/// A problem of shape that `job::job` found, said by its column.
fn shape(problem: &RowError, record: &Record) -> String {
    let said = match problem.column {
        Some(Column::Region) if record.get(Column::Region).is_some() => {
            "Området er ikke lænd eller nakke; skriv lænd (lumbar) eller nakke (cervical)."
        }
        Some(Column::Region) => {
            "Området mangler, og der er ikke valgt et område til rækker uden område."
        }
        Some(Column::Variant) => "Udgaven er ukendt; skriv fuld (full) eller kort (short).",
        Some(Column::Date) => {
            "Datoen kan ikke læses; skriv den som ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ, fx 2026-12-03."
        }
        Some(Column::Next) => {
            "Næste tid kan ikke læses; skriv den som ÅÅÅÅ-MM-DD TT:MM eller DD-MM-ÅÅÅÅ TT:MM, fx \
             2026-12-03 10:30."
        }
        Some(Column::LargePrint) => "Stor skrift skal være ja eller nej.",
        // The file column's and the name's reasons are several; the command line's says which.
        Some(Column::File) => return format!("Filnavnet kan ikke bruges: {}", problem.message),
        Some(Column::Name) => return format!("Navnet kan ikke bruges: {}", problem.message),
        _ => return format!("Rækken har flere problemer: {}", problem.message),
    };
    said.into()
}
