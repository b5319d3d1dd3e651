//! A batch's problems in the page's words. Problems with the file as a whole come from the
//! library's typed errors (a workbook, the wrong encoding, a quote never closed, a missing
//! region column) and get their own Danish sentence with the same fix as the command line's.
//! A row's problem is said in [`super::rows`]. Nothing here repeats a cell's value.

use pjece::batch::input::{Column, Encoding, HeaderProblem, InputError, NotText, RowError};

pub const GONE: &str = "Kørslen findes ikke længere: den er hentet, annulleret eller for gammel.";
pub const ZIP_FAILED: &str =
    "Pjecerne blev lavet, men ZIP-filen kunne ikke skrives (er disken fuld?). Prøv igen.";
pub const NO_THREAD: &str = "Kørslen kunne ikke startes; prøv igen om lidt.";
pub const BUSY: &str =
    "Der venter allerede flere filer på at blive lavet. Prøv igen, når de er færdige.";
pub const NO_FILE: &str = "Vælg en fil (CSV eller JSON Lines) at lave pjecer fra.";

const SAVE_AS: &str = "Åbn den i Excel, vælg Filer > Gem som > »CSV UTF-8 (kommasepareret) \
     (*.csv)«, og vælg den nye fil her";

/// A column as the page names it: its Danish header name when it has one.
pub fn column(c: Column) -> &'static str {
    c.names().get(1).copied().unwrap_or(c.name())
}

/// An encoding as the page's choice names it, and what writes it.
fn encoding(e: Encoding) -> (&'static str, &'static str) {
    match e {
        Encoding::Utf8 => ("UTF-8", "det, Excels »CSV UTF-8« gemmer"),
        Encoding::Windows1252 => (
            "Windows-1252",
            "det, Excels ældre »CSV (semikolonsepareret)« gemmer på Windows",
        ),
        Encoding::Macintosh => ("Mac Roman", "det, Excel til Mac gemmer som »CSV«"),
        Encoding::Cp850 => (
            "CP850",
            "det, DOS-programmer og ældre patientsystemer gemmer",
        ),
    }
}

/// A problem with the whole file, in Danish: the row and column when it has them.
pub fn input_error(e: &InputError) -> (Option<u64>, Option<Column>, String) {
    let message = match e {
        InputError::NotText { kind, .. } => match kind {
            NotText::Workbook => {
                format!(
                    "Filen er en Excel-projektmappe (.xlsx eller .xls), ikke en CSV-fil. {SAVE_AS}."
                )
            }
            NotText::Utf16 => format!(
                "Filen er gemt som »Unicode-tekst« (UTF-16), som pjece ikke kan læse. {SAVE_AS}."
            ),
            NotText::Binary => "Filen er ikke en tekstfil. Vælg regnearkets eksport som CSV (gemt \
                                som »CSV UTF-8«) eller en JSON Lines-fil."
                .into(),
        },
        InputError::WrongEncoding {
            chosen, looks_like, ..
        } => match (chosen, looks_like) {
            (Encoding::Utf8, Some(e)) => {
                let (name, by) = encoding(*e);
                format!(
                    "Filen er ikke gemt som UTF-8; den ligner {name} ({by}). Vælg {name} under \
                     »Tegnsæt« og send filen igen, eller gem den i Excel som »CSV UTF-8 \
                     (kommasepareret) (*.csv)«."
                )
            }
            (Encoding::Utf8, None) => format!(
                "Filen er ikke gemt som UTF-8, og dens bogstaver passer ikke til de ældre \
                 tegnsæt, pjece kan læse. {SAVE_AS}."
            ),
            (chosen, Some(Encoding::Utf8)) => format!(
                "Filen er allerede gemt som UTF-8; læst som {} ville æ, ø og å blive forkerte. \
                 Vælg UTF-8 under »Tegnsæt« og send filen igen.",
                encoding(*chosen).0
            ),
            (chosen, better) => {
                let better = better.map_or(String::new(), |b| {
                    format!(" Den ligner {}: vælg det under »Tegnsæt«.", encoding(b).0)
                });
                format!(
                    "Filens bogstaver læses ikke rigtigt som {}.{better}",
                    encoding(*chosen).0
                )
            }
        },
        InputError::Row { error, .. } => {
            let cell = match error.column {
                Some(c) => format!("cellen i kolonnen »{}«", column(c)),
                None => "en celle".into(),
            };
            let row = row_number(error);
            return (
                row,
                error.column,
                format!(
                    "Et anførselstegn i {cell} lukkes aldrig (eller er ikke skrevet dobbelt), så \
                     alle rækker herunder løber sammen med den. Ret det i regnearket: et \
                     anførselstegn inde i en celle skrives som to (\"\"). Der er ikke lavet \
                     nogen pjecer."
                ),
            );
        }
        InputError::Header { kind, .. } => header_problem(*kind),
        // The rest is said as on the command line, without the file's temporary path.
        InputError::Unreadable { reason, .. } => {
            format!("Filen kan ikke bruges: {reason}")
        }
    };
    (None, None, message)
}

/// What is wrong with the header row, in Danish (the column names the header's own words).
fn header_problem(kind: HeaderProblem) -> String {
    let known = || {
        Column::ALL
            .iter()
            .map(|c| column(*c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind {
        HeaderProblem::Empty => {
            "Filen er tom. Den første række skal nævne kolonnerne, fx navn og region.".into()
        }
        HeaderProblem::NoRows => {
            "Filen har ingen rækker med data under overskrifterne; der er intet at lave.".into()
        }
        HeaderProblem::Unreadable => "Overskriftsrækken kan ikke læses: et anførselstegn lukkes \
             aldrig (eller er ikke skrevet dobbelt), eller rækken er længere end 256 KB. Ret den i \
             regnearket."
            .into(),
        HeaderProblem::Cell(n) => format!(
            "Overskriften i kolonne {n} indeholder tegn, pjece ikke kan bruge (fx styretegn). Ret \
             den i regnearket."
        ),
        HeaderProblem::Twice(c) => format!(
            "To kolonner i overskriftsrækken betyder »{}«; behold den ene.",
            column(c)
        ),
        HeaderProblem::NoKnownColumn => format!(
            "Filens første række nævner ingen kolonne, pjece kender. Den første række skal være \
             overskrifterne, med nogle af: {}.",
            known()
        ),
    }
}

/// The file names no region column and no region was chosen for rows without one.
pub fn no_region_column() -> String {
    "Filen har ingen kolonne »region«, og der er ikke valgt et område til rækker uden område. \
     Vælg lænd eller nakke under »Område«, eller tilføj kolonnen i regnearket."
        .into()
}

/// Columns the header names that pjece does not read (their names are the header's, shown
/// as the command line shows them).
pub fn unknown_columns(unknown: &[String]) -> Option<String> {
    if unknown.is_empty() {
        return None;
    }
    let names: Vec<String> = unknown.iter().map(|u| format!("»{u}«")).collect();
    let known: Vec<&str> = Column::ALL.iter().map(|c| column(*c)).collect();
    Some(format!(
        "{} {} bruges ikke og springes over. Kolonner, pjece læser: {}.",
        if unknown.len() == 1 {
            "Kolonnen"
        } else {
            "Kolonnerne"
        },
        names.join(", "),
        known.join(", ")
    ))
}

/// A number as Danish writes it: a point between thousands (5.000).
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

/// The file has more rows than a batch in the browser makes.
pub fn too_many_rows(rows: u64, max: u64) -> String {
    format!(
        "Filen har {} rækker; her laves højst {} ad gangen. Del filen op, eller brug \
         kommandoen pjece batch.",
        count(rows),
        count(max)
    )
}

fn row_number(e: &RowError) -> Option<u64> {
    use pjece::batch::input::Place;
    match e.at {
        Place::SheetRow(n) | Place::Line(n) => Some(n),
        Place::Unknown => None,
    }
}

/// A batch that stopped as a whole (not a row).
pub fn batch_failed(e: &pjece::Error) -> String {
    match e {
        pjece::Error::Output { .. } => {
            "Pjecerne kunne ikke skrives i den midlertidige mappe (er disken fuld?).".into()
        }
        _ => "Kørslen stoppede på grund af en fejl i programmet.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_a_point_between_thousands() {
        assert_eq!(count(7), "7");
        assert_eq!(count(999), "999");
        assert_eq!(count(5_000), "5.000");
        assert_eq!(count(1_234_567), "1.234.567");
    }

    #[test]
    fn a_header_problem_is_said_in_danish_without_the_files_path() {
        let e = InputError::Header {
            path: "/tmp/pjece-batch-x/input.csv".into(),
            kind: HeaderProblem::Twice(Column::Name),
            reason: "two header columns mean 'name'; keep one".into(),
        };
        let (row, column, message) = input_error(&e);
        assert_eq!((row, column), (None, None));
        assert_eq!(
            message,
            "To kolonner i overskriftsrækken betyder »navn«; behold den ene."
        );
    }
}
