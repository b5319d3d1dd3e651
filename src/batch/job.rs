//! One input record turned into the choices for one handout and its file name, with every
//! problem named by column. Messages never repeat the patient's data.

use jiff::civil::Date;

use super::input::text::shown;
use super::input::{CellProblem, Column, Place, Record, RowError, RowProblem, split_ids};
use super::names;
use crate::chars;
use crate::content::{Region, Variant};
use crate::dates::{APPOINTMENT_FORMATS, DATE_FORMATS, parse_appointment, parse_date};
use crate::error::Error;
use crate::field::Field;
use crate::select::Choices;

/// Values that apply to rows that do not give their own.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// Region for rows without one.
    pub region: Option<Region>,
    /// Variant for rows without one.
    pub variant: Variant,
    /// Date for rows without one.
    pub date: Date,
}

/// One handout to make.
#[derive(Debug, Clone)]
pub struct Job {
    /// Data row number.
    pub row: u64,
    /// Where the row is.
    pub at: Place,
    /// What the handout holds.
    pub choices: Choices,
    /// The output file name (no directory).
    pub file: String,
    /// Whether the row gives its own date.
    pub dated: bool,
}

/// Builds a job from a record.
pub fn job(record: &Record, defaults: &Defaults) -> Result<Job, RowError> {
    // Every column is checked, so one run of --check names all of a row's problems.
    let mut problems: Vec<(Column, CellProblem)> = Vec::new();
    let region = match record.get(Column::Region) {
        Some(r) => Region::parse(r).unwrap_or_else(|| {
            problems.push((
                Column::Region,
                "is not a region; use lumbar (lænd) or cervical (nakke)".into(),
            ));
            Region::Lumbar
        }),
        None => defaults.region.unwrap_or_else(|| {
            problems.push((Column::Region, "is empty and no --region was given".into()));
            Region::Lumbar
        }),
    };
    let variant = match record.get(Column::Variant).map(|v| v.to_lowercase()) {
        None => defaults.variant,
        Some(v) => match v.as_str() {
            "full" | "fuld" | "lang" => Variant::Full,
            "short" | "kort" | "pixi" => Variant::Short,
            _ => {
                problems.push((
                    Column::Variant,
                    "is not a variant; use full (fuld) or short (kort)".into(),
                ));
                defaults.variant
            }
        },
    };
    let date = match record.get(Column::Date) {
        None => defaults.date,
        Some(d) => parse_date(d).unwrap_or_else(|| {
            problems.push((Column::Date, DATE_FORMATS.into()));
            defaults.date
        }),
    };
    let patient = record.get(Column::Name).map(String::from);
    let file = match record.get(Column::File) {
        Some(f) => names::checked_name(f).unwrap_or_else(|problem| {
            problems.push((Column::File, problem.into()));
            String::new()
        }),
        None => {
            // Checked here too, so a disguised name cannot reach the file system either.
            if let Some((ch, why)) = patient.as_deref().and_then(|p| chars::forbidden(p, false)) {
                problems.push((
                    Column::Name,
                    names::FileNameProblem::Forbidden { ch, why }.into(),
                ));
            }
            names::default_name(record.row, patient.as_deref())
        }
    };
    let mut choices = Choices::new(region, date);
    choices.variant = variant;
    choices.advice = record.get(Column::Advice).map(split_ids);
    choices.omit = record.get(Column::Omit).map(split_ids).unwrap_or_default();
    choices.patient = patient;
    choices.therapist = record.get(Column::Therapist).map(String::from);
    choices.note = record.get(Column::Note).map(String::from);
    // Goals and steps are separated by '|' or line breaks; "tom" or "blank", alone or among
    // them, asks for empty lines (rungs) to fill in by hand.
    let blank = |s: &str| matches!(s.trim().to_lowercase().as_str(), "tom" | "blank" | "-");
    let items = |s: &str| -> (Vec<String>, bool) {
        let all: Vec<&str> = s.split(['|', '\n']).map(str::trim).collect();
        let given = all
            .iter()
            .filter(|i| !i.is_empty() && !blank(i))
            .map(|i| i.to_string())
            .collect();
        (given, all.iter().any(|i| blank(i)))
    };
    if let Some(g) = record.get(Column::Goals) {
        (choices.goals, choices.blank_goals) = items(g);
    }
    if let Some(s) = record.get(Column::Steps) {
        (choices.steps, choices.ladder) = items(s);
    }
    if let Some(n) = record.get(Column::Next) {
        choices.next = parse_appointment(n);
        if choices.next.is_none() {
            problems.push((Column::Next, APPOINTMENT_FORMATS.into()));
        }
    }
    choices.qr_url = record.get(Column::Qr).map(String::from);
    if let Some(v) = record.get(Column::LargePrint) {
        choices.large_print = match v.to_lowercase().as_str() {
            "ja" | "yes" | "x" | "1" | "true" | "sand" => true,
            "nej" | "no" | "0" | "false" | "falsk" => false,
            _ => {
                problems.push((
                    Column::LargePrint,
                    "is not yes or no; use ja/nej or yes/no".into(),
                ));
                false
            }
        };
    }
    match &problems[..] {
        [] => {}
        [(column, CellProblem::Said(message))] => {
            return Err(RowError::other(
                record.row,
                record.at,
                Some(*column),
                message.clone(),
            ));
        }
        [(column, CellProblem::FileName(problem))] => {
            return Err(RowError::typed(
                record.row,
                record.at,
                Some(*column),
                RowProblem::FileName(problem.clone()),
            ));
        }
        _ => {
            return Err(RowError::typed(
                record.row,
                record.at,
                None,
                RowProblem::Several(problems),
            ));
        }
    }
    Ok(Job {
        row: record.row,
        at: record.at,
        choices,
        file,
        dated: record.get(Column::Date).is_some(),
    })
}

/// The column a library error about a row's `choices` is about, and the message without the
/// field name. A cell's value is never quoted back: an id is named by its place in the cell
/// ("the 2nd id"), since a name typed into the wrong column would otherwise reach the log.
pub fn describe(error: &Error, choices: &Choices) -> (Option<Column>, String) {
    let (column, message) = describe_raw(error, choices);
    (column, shown(&message))
}

/// `1st`, `2nd`, `3rd`, `4th`, ..., `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Which of the cell's ids `id` (as the selection quoted it back) is: "the 2nd id".
fn which_id(ids: &[String], id: &str) -> String {
    match ids.iter().position(|given| chars::shown(given) == id) {
        Some(_) if ids.len() == 1 => "the id".into(),
        Some(i) => format!("the {} id", ordinal(i + 1)),
        None => "an id".into(),
    }
}

/// The column a field is given in, when a batch file has one for it.
pub fn column(field: Field) -> Option<Column> {
    match field {
        Field::Patient => Some(Column::Name),
        Field::Therapist => Some(Column::Therapist),
        Field::Date => Some(Column::Date),
        Field::Note => Some(Column::Note),
        // "tom" in the goals or steps cell asks for empty lines or an empty ladder.
        Field::Goals | Field::BlankGoals => Some(Column::Goals),
        Field::Steps | Field::Ladder => Some(Column::Steps),
        Field::Next => Some(Column::Next),
        Field::Qr => Some(Column::Qr),
        Field::Region => Some(Column::Region),
        Field::Variant => Some(Column::Variant),
        Field::Advice => Some(Column::Advice),
        Field::Omit => Some(Column::Omit),
        Field::LargePrint => Some(Column::LargePrint),
        // A row makes a patient handout, with the clinic's QR code when it has one.
        Field::NoQr | Field::Audience => None,
    }
}

fn describe_raw(error: &Error, choices: &Choices) -> (Option<Column>, String) {
    let column = error.field().and_then(column);
    let message = match error {
        Error::UnknownId {
            field,
            id,
            reason,
            valid,
        } => {
            let ids = if *field == Field::Advice {
                choices.advice.as_deref().unwrap_or(&[])
            } else {
                &choices.omit[..]
            };
            format!(
                "{} {reason}; valid ids: {}",
                which_id(ids, id),
                valid.join(", ")
            )
        }
        // The library's words name the choices; a row has columns.
        Error::ChosenAndOmitted { id } => {
            format!("'{id}' is both chosen in the advice column and left out here")
        }
        Error::ChosenInOmitted { id, block } => {
            format!("leaves out the section '{block}', which holds the chosen advice '{id}'")
        }
        Error::NoAdviceChosen => {
            "names no advice ids; leave the cell empty to include all advice".into()
        }
        // Said of the cell when there is one to say it of.
        other => match (column, other.detail()) {
            (Some(_), Some(detail)) => detail,
            _ => other.to_string(),
        },
    };
    (column, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            region: None,
            variant: Variant::Full,
            date: jiff::civil::date(2026, 11, 26),
        }
    }

    /// The job of a row with these cells, and the default region, variant and date.
    fn row(values: &[(Column, &str)]) -> Result<Job, RowError> {
        job(&record(values), &defaults())
    }

    fn record(values: &[(Column, &str)]) -> Record {
        Record {
            row: 7,
            at: Place::SheetRow(8),
            values: values.iter().map(|(c, v)| (*c, v.to_string())).collect(),
        }
    }

    #[test]
    fn a_full_row() {
        let r = record(&[
            (Column::Name, "Søren Ærø"),
            (Column::Region, "Lænd"),
            (Column::Variant, "Kort"),
            (Column::Advice, "hold-dig-aktiv;tag-ansvar"),
            (Column::Date, "03-12-2026"),
        ]);
        let j = job(&r, &defaults()).unwrap();
        assert_eq!(j.file, "0007-soeren-aeroe.pdf");
        assert_eq!(j.choices.region, Region::Lumbar);
        assert_eq!(j.choices.variant, Variant::Short);
        assert_eq!(
            j.choices.advice.as_deref(),
            Some(&["hold-dig-aktiv".to_string(), "tag-ansvar".to_string()][..])
        );
        assert_eq!(j.choices.date, jiff::civil::date(2026, 12, 3));
        assert!(j.dated);
        assert!(!row(&[(Column::Region, "nakke")]).unwrap().dated);
    }

    #[test]
    fn tom_asks_for_lines_to_write_on_alone_or_among_items() {
        let j = |goals: &str, steps: &str| {
            let r = record(&[
                (Column::Region, "lænd"),
                (Column::Goals, goals),
                (Column::Steps, steps),
            ]);
            job(&r, &defaults()).unwrap().choices
        };
        let c = j("tom", "Tom");
        assert!(c.blank_goals && c.goals.is_empty() && c.ladder && c.steps.is_empty());
        let c = j("Gå 20 min|tom", "Gå 5 min | Gå 10 min | tom");
        assert_eq!(c.goals, ["Gå 20 min"]);
        assert!(c.blank_goals);
        assert_eq!(c.steps, ["Gå 5 min", "Gå 10 min"]);
        assert!(c.ladder);
        let c = j("Tom Hansens gåtur", "Gå 5 min");
        assert_eq!(
            c.goals,
            ["Tom Hansens gåtur"],
            "only a whole item is the word tom"
        );
        assert!(!c.blank_goals && !c.ladder);
    }

    #[test]
    fn problems_name_their_column_not_the_value() {
        let e = row(&[(Column::Name, "Hemmelig Person"), (Column::Region, "hofte")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "row 7 (spreadsheet row 8), column region: is not a region; use lumbar (lænd) or cervical (nakke)"
        );
        let e = row(&[(Column::Name, "Hemmelig Person")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "row 7 (spreadsheet row 8), column region: is empty and no --region was given"
        );
        let e = row(&[(Column::Region, "nakke"), (Column::Date, "31-02-2026")]).unwrap_err();
        assert!(!e.to_string().contains("31-02"), "{e}");
        let e = row(&[(Column::Region, "nakke"), (Column::File, "../../x")]).unwrap_err();
        assert_eq!(e.column, Some(Column::File));
        assert_eq!(
            e.problem,
            RowProblem::FileName(names::FileNameProblem::Path)
        );
        assert_eq!(
            e.to_string(),
            "row 7 (spreadsheet row 8), column file: must be a file name, not a path (no / or \\)"
        );
        let e = row(&[
            (Column::Region, "nakke"),
            (Column::Name, "Anna\u{202E}fdp.exe"),
        ])
        .unwrap_err();
        assert_eq!(e.column, Some(Column::Name));
        assert!(matches!(
            e.problem,
            RowProblem::FileName(names::FileNameProblem::Forbidden { ch: '\u{202E}', .. })
        ));
        assert_eq!(
            e.to_string(),
            "row 7 (spreadsheet row 8), column name: contains U+202E, a bidirectional override, \
             which can disguise text"
        );
    }

    #[test]
    fn advice_conflicts_speak_of_columns_not_options() {
        for (error, want) in [
            (
                Error::ChosenAndOmitted {
                    id: "tag-ansvar".into(),
                },
                "'tag-ansvar' is both chosen in the advice column and left out here",
            ),
            (
                Error::ChosenInOmitted {
                    id: "tag-ansvar".into(),
                    block: "gode-raad".into(),
                },
                "leaves out the section 'gode-raad', which holds the chosen advice 'tag-ansvar'",
            ),
        ] {
            assert_eq!(
                describe(&error, &any_job().choices),
                (Some(Column::Omit), want.to_string())
            );
        }
        let (column, message) = describe(&Error::NoAdviceChosen, &any_job().choices);
        assert_eq!(column, Some(Column::Advice));
        assert!(!message.contains("--advice"), "{message}");
    }

    #[test]
    fn every_problem_of_a_row_is_named_at_once() {
        let e = row(&[
            (Column::Name, "Hemmelig Person"),
            (Column::Region, "hofte"),
            (Column::Variant, "lang-kort"),
            (Column::Date, "32-13-2026"),
            (Column::Next, "i morgen"),
            (Column::LargePrint, "måske"),
        ])
        .unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with(
                "row 7 (spreadsheet row 8): 5 problems: column region: is not a region"
            ),
            "{shown}"
        );
        for column in ["variant", "date", "next", "large print"] {
            assert!(
                shown.contains(&format!("; column {column}: ")),
                "{column}: {shown}"
            );
        }
        assert!(
            !shown.contains("Hemmelig") && !shown.contains("32-13"),
            "{shown}"
        );
    }

    /// Every field a row can set has its column, and every column but the file name is some
    /// field's; a field without one is one a row cannot set.
    #[test]
    fn every_field_has_its_column() {
        let mut reached = Vec::new();
        for &field in Field::ALL {
            match column(field) {
                Some(c) => {
                    reached.push(c);
                    // The API key and the column say the same, so a form and a file agree.
                    let own = [Field::BlankGoals, Field::Ladder].contains(&field);
                    assert!(
                        own || c.name().replace(' ', "_") == field.name(),
                        "{field:?} is in column {}",
                        c.name()
                    );
                }
                None => assert!(
                    [Field::NoQr, Field::Audience].contains(&field),
                    "{field:?} has no column"
                ),
            }
        }
        for c in Column::ALL {
            assert!(
                c == Column::File || reached.contains(&c),
                "no field is in column {}",
                c.name()
            );
        }
        let too_long = Error::FieldTooLong {
            field: Field::Goals,
            len: 121,
            max: 120,
        };
        assert_eq!(
            describe(&too_long, &any_job().choices),
            (
                Some(Column::Goals),
                "is 121 characters long; at most 120 fit on the handout".into()
            )
        );
        let content = Error::MissingGlyph {
            field: None,
            what: "text of 'prognose'".into(),
            ch: '李',
            font: "F".into(),
        };
        assert_eq!(
            describe(&content, &any_job().choices),
            (
                None,
                "text of 'prognose' contains U+674E '李', which the font F cannot show".into()
            )
        );
    }

    fn any_job() -> Job {
        row(&[(Column::Region, "lænd")]).unwrap()
    }

    #[test]
    fn ids_are_named_by_their_place_in_the_cell_never_quoted() {
        let j = row(&[
            (Column::Region, "lænd"),
            (Column::Advice, "hold-dig-aktiv, Søren Ærø"),
            (Column::Omit, "prognose;Hemmelig\u{200B}"),
        ])
        .unwrap();
        let unknown = |field, id: &str| Error::UnknownId {
            field,
            // As the selection quotes it back.
            id: chars::shown(id),
            reason: "is not known".into(),
            valid: vec!["tag-ansvar".into()],
        };
        assert_eq!(
            describe(&unknown(Field::Advice, "Ærø"), &j.choices),
            (
                Some(Column::Advice),
                "the 3rd id is not known; valid ids: tag-ansvar".into()
            )
        );
        assert_eq!(
            describe(&unknown(Field::Omit, "Hemmelig\u{200B}"), &j.choices),
            (
                Some(Column::Omit),
                "the 2nd id is not known; valid ids: tag-ansvar".into()
            )
        );
        let one = row(&[(Column::Region, "lænd"), (Column::Advice, "Søren")]).unwrap();
        assert_eq!(
            describe(&unknown(Field::Advice, "Søren"), &one.choices).1,
            "the id is not known; valid ids: tag-ansvar"
        );
        let ordinals: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            ordinals,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th"
            ]
        );
    }
}
