//! Why a row's file name cannot be used, in Danish for the clinic's staff: what is wrong and
//! what to do. The file column's name and a name cell (which becomes the file name when the
//! row has no file column) are said from the library's typed [`FileNameProblem`]; the command
//! line keeps its English. Only a character's code, one of `<>:"|?*` or a Windows device name
//! is ever named, never the rest of the cell.

use pjece::batch::input::Column;
use pjece::batch::names::{FileNameProblem, MAX_FILE_NAME};

use super::messages::column;

/// The problem of the file name that `at` gives (the file column) or makes (the name).
pub fn said(at: Column, problem: &FileNameProblem) -> String {
    let (what, fix) = what_and_fix(problem);
    let file = column(Column::File);
    match at {
        Column::File => format!("Filnavnet i kolonnen »{file}« {what} — {fix}."),
        other => format!(
            "{} i kolonnen »{}« bliver rækkens filnavn, men det {what} — {fix}, eller giv rækken \
             sit eget filnavn i kolonnen »{file}«.",
            if other == Column::Name {
                "Navnet"
            } else {
                "Cellen"
            },
            column(other)
        ),
    }
}

/// What is wrong, said after the name (»Filnavnet … står på flere linjer«), and the fix.
fn what_and_fix(problem: &FileNameProblem) -> (String, String) {
    // A character it holds, named by its code (a cell's other characters are never repeated).
    let holds = |ch: char, which: &str| {
        let ch = pjece::chars::describe(ch);
        (
            format!("indeholder tegnet {ch}, {which}"),
            "fjern det i regnearket",
        )
    };
    let (what, fix): (String, &str) = match problem {
        // The one refused character a cell may hold (in notes); a file name may not.
        FileNameProblem::Forbidden { ch: '\n', .. } => {
            ("står på flere linjer".into(), "skriv det på én linje")
        }
        FileNameProblem::Forbidden { ch, .. } => holds(
            *ch,
            "som ikke kan bruges i et filnavn (et styretegn eller et usynligt tegn)",
        ),
        FileNameProblem::Path => (
            "må ikke indeholde / eller \\".into(),
            "skriv kun et navn, ikke en mappe",
        ),
        FileNameProblem::Disguising(ch) => holds(*ch, "som ligner en skråstreg eller ikke kan ses"),
        FileNameProblem::LeadingDot => (
            "må ikke begynde med et punktum (så bliver filen skjult)".into(),
            "fjern punktummet",
        ),
        FileNameProblem::Illegal(ch) => (
            format!("indeholder tegnet »{ch}«, som ikke må stå i et filnavn"),
            "fjern det; tegnene < > : \" | ? * kan ikke bruges",
        ),
        FileNameProblem::TrailingSpaceOrDot => (
            "må ikke slutte med et punktum eller et mellemrum".into(),
            "fjern det sidste tegn",
        ),
        FileNameProblem::ReservedDevice(device) => (
            format!(
                "hedder »{}«, et navn Windows har reserveret til en enhed",
                device.to_uppercase()
            ),
            "vælg et andet navn",
        ),
        FileNameProblem::TooLong { .. } => (
            format!(
                "er for langt: højst {MAX_FILE_NAME} tegn med ».pdf«, og æ, ø og å tæller for to"
            ),
            "gør det kortere",
        ),
    };
    (what, fix.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_cell_is_told_to_be_fixed_or_to_get_a_file_name() {
        let problem = FileNameProblem::Forbidden {
            ch: '\n',
            why: "a control character",
        };
        assert_eq!(
            said(Column::Name, &problem),
            "Navnet i kolonnen »navn« bliver rækkens filnavn, men det står på flere linjer — \
             skriv det på én linje, eller giv rækken sit eget filnavn i kolonnen »fil«."
        );
        assert_eq!(
            said(Column::File, &problem),
            "Filnavnet i kolonnen »fil« står på flere linjer — skriv det på én linje."
        );
    }
}
