//! A failed row's problem in Danish. The batch reports a row's problem as the command line's
//! sentence; the page says it from the typed errors instead: the row's record is read again
//! and turned into its choices (`job::job`: a problem of shape is said by its column), and the
//! handout laid out (the library's typed [`pjece::Error`], said as the form says it). A refused
//! cell, a file name that cannot be used or that two rows share and a row with several problems
//! are typed by the batch ([`RowProblem`]) and said from it; what has no typed cause keeps the
//! command line's sentence, which never repeats a value either.

use std::collections::HashMap;
use std::path::Path;

use pjece::Engine;
use pjece::batch::input::{
    CellProblem, Column, Encoding, Format, Place, Reader, Record, RowError, RowProblem,
};
use pjece::batch::job::{self, Defaults};

use super::super::messages::field_error;
use super::file_names;

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
        match &e.problem {
            RowProblem::Other => {}
            RowProblem::RefusedChar { ch, .. } => {
                let cell = e.column.map_or("En celle".into(), |c| {
                    format!("Cellen i kolonnen »{}«", super::messages::column(c))
                });
                return format!(
                    "{cell} indeholder tegnet {}, som ikke kan udskrives (et styretegn eller et \
                     usynligt tegn). Fjern det i regnearket.",
                    pjece::chars::describe(*ch)
                );
            }
            RowProblem::FileNameTaken { earlier_at, .. } => {
                let earlier = match earlier_at {
                    Place::SheetRow(n) => format!("række {n}"),
                    Place::Line(n) => format!("linje {n}"),
                    Place::Unknown => "en tidligere række".into(),
                };
                return format!(
                    "Rækken får samme filnavn som {earlier}. Giv rækken sit eget navn i kolonnen \
                     »fil«."
                );
            }
            RowProblem::FileNameIsCombined => {
                return "Rækken får samme filnavn som den samlede PDF. Giv rækken sit eget navn \
                        i kolonnen »fil«."
                    .into();
            }
            RowProblem::FileName(problem) => {
                return file_names::said(e.column.unwrap_or(Column::File), problem);
            }
            RowProblem::Several(all) => {
                let record = self.records.get(&e.row);
                let said: Vec<String> = all
                    .iter()
                    .map(|(c, problem)| match problem {
                        CellProblem::FileName(p) => file_names::said(*c, p),
                        CellProblem::Said(_) => column_problem(*c, record),
                    })
                    .collect();
                return format!("Rækken har {} problemer: {}", all.len(), said.join(" "));
            }
        }
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
    match (&problem.problem, problem.column) {
        (RowProblem::FileName(p), Some(c)) => file_names::said(c, p),
        (_, Some(c)) => column_problem(c, Some(record)),
        (_, None) => problem.message.clone(),
    }
}

/// One column's problem of shape, in Danish, from the column alone (its English names no more
/// than the column does). A file name's problem is typed and said by [`file_names`].
fn column_problem(column: Column, record: Option<&Record>) -> String {
    let said = match column {
        Column::Region if record.is_some_and(|r| r.get(Column::Region).is_some()) => {
            "Området er ikke lænd eller nakke; skriv lænd (lumbar) eller nakke (cervical)."
        }
        Column::Region => "Området mangler, og der er ikke valgt et område til rækker uden område.",
        Column::Variant => "Udgaven er ukendt; skriv fuld (full) eller kort (short).",
        Column::Date => {
            "Datoen kan ikke læses; skriv den som ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ, fx 2026-12-03."
        }
        Column::Next => {
            "Næste tid kan ikke læses; skriv den som ÅÅÅÅ-MM-DD TT:MM eller DD-MM-ÅÅÅÅ TT:MM, fx \
             2026-12-03 10:30."
        }
        Column::LargePrint => "Stor skrift skal være ja eller nej.",
        other => {
            return format!(
                "Cellen i kolonnen »{}« kan ikke bruges.",
                super::messages::column(other)
            );
        }
    };
    said.into()
}
