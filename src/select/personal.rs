//! The patient's own fields and blocks: names and note, goals, the progression ladder, the next
//! appointment and the QR code. Every value is trimmed and checked for length and for
//! characters that must never be printed, and each error names its field.

use jiff::civil::{Date, DateTime};

use super::{
    BLANK_GOAL_LINES, BLANK_STEPS, Choices, MAX_GOALS, MAX_ITEM_CHARS, MAX_NAME_CHARS,
    MAX_NOTE_CHARS, MAX_NOTE_LINES, MAX_STEPS, MAX_URL_CHARS,
};
use crate::chars;
use crate::clinic::Clinic;
use crate::content::Labels;
use crate::dates::danish_date;
use crate::error::Error;
use crate::field::Field;
use crate::handout::{Block, BlockStyle, HeaderLine, Piece, Span};

/// The personal fields of one handout, checked.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    /// The patient's name.
    pub patient: Option<String>,
    /// The therapist's name.
    pub therapist: Option<String>,
    /// The note, lines separated by `\n`.
    pub note: Option<String>,
    /// Goals.
    pub goals: Vec<String>,
    /// Empty goal lines wanted.
    pub blank_goals: bool,
    /// Ladder steps, lowest first; empty with `ladder` for a blank ladder.
    pub steps: Vec<String>,
    /// A ladder wanted.
    pub ladder: bool,
    /// The next appointment.
    pub next: Option<DateTime>,
    /// The QR code's address.
    pub qr_url: Option<String>,
}

impl Fields {
    /// Checks every personal field of the choices; the clinic supplies a default QR address.
    pub fn check(choices: &Choices, clinic: Option<&Clinic>) -> Result<Fields, Error> {
        let note = personal(Field::Note, choices.note.as_deref(), MAX_NOTE_CHARS, true)?;
        // Blank lines are dropped when printed, so they do not count.
        if let Some(lines) = note
            .as_ref()
            .map(|n| n.lines().filter(|l| !l.trim().is_empty()).count())
            .filter(|&n| n > MAX_NOTE_LINES)
        {
            return Err(Error::TooManyLines {
                field: Field::Note,
                lines,
                max: MAX_NOTE_LINES,
            });
        }
        let goals = list(Field::Goals, &choices.goals, MAX_GOALS)?;
        let steps = list(Field::Steps, &choices.steps, MAX_STEPS)?;
        let qr_url = match personal(Field::Qr, choices.qr_url.as_deref(), MAX_URL_CHARS, false)? {
            _ if choices.no_qr => None,
            Some(url) => Some(url),
            None => clinic.and_then(|c| c.qr_url.clone()),
        };
        if let Some(reason) = qr_url.as_deref().and_then(crate::web::problem) {
            return Err(Error::InvalidValue {
                field: Field::Qr,
                reason,
            });
        }
        if let Some(next) = choices.next
            && next.date() < choices.date
        {
            return Err(Error::InvalidValue {
                field: Field::Next,
                reason: format!(
                    "{} is before the handout's date {}; give a coming appointment",
                    next.strftime("%Y-%m-%d %H:%M"),
                    choices.date
                ),
            });
        }
        Ok(Fields {
            patient: personal(
                Field::Patient,
                choices.patient.as_deref(),
                MAX_NAME_CHARS,
                false,
            )?,
            therapist: personal(
                Field::Therapist,
                choices.therapist.as_deref(),
                MAX_NAME_CHARS,
                false,
            )?,
            note,
            goals,
            blank_goals: choices.blank_goals,
            steps,
            ladder: choices.ladder,
            next: choices.next,
            qr_url,
        })
    }

    /// The labelled fields of the header: patient, therapist, date, next appointment.
    pub fn header(&self, labels: &Labels, date: Date) -> Vec<HeaderLine> {
        let mut fields = Vec::new();
        for (field, label, value) in [
            (Field::Patient, &labels.patient, self.patient.clone()),
            (Field::Therapist, &labels.therapist, self.therapist.clone()),
            (
                Field::Date,
                &labels.date,
                Some(danish_date(date, &labels.months)),
            ),
            (
                Field::Next,
                &labels.next_appointment,
                self.next.map(|n| appointment(n, labels)),
            ),
        ] {
            if let Some(value) = value {
                fields.push(HeaderLine {
                    field,
                    label: label.clone(),
                    value,
                });
            }
        }
        fields
    }
}

/// Trims a list of short items (goals, steps), dropping empty ones, and checks each.
fn list(field: Field, items: &[String], max: usize) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for item in items {
        if let Some(v) = personal(field, Some(item), MAX_ITEM_CHARS, false)? {
            out.push(v);
        }
    }
    if out.len() > max {
        return Err(Error::TooMany {
            field,
            count: out.len(),
            max,
        });
    }
    Ok(out)
}

/// `torsdag den 3. december kl. 10.30`, from the labels' template and names.
pub fn appointment(at: DateTime, labels: &Labels) -> String {
    let weekday = labels
        .weekdays
        .get(at.weekday().to_monday_zero_offset() as usize)
        .map(String::as_str)
        .unwrap_or("");
    let month = labels
        .months
        .get(at.month() as usize - 1)
        .map(String::as_str)
        .unwrap_or("");
    labels
        .appointment
        .replace("{weekday}", weekday)
        .replace("{day}", &at.day().to_string())
        .replace("{month}", month)
        .replace("{time}", &format!("{:02}.{:02}", at.hour(), at.minute()))
}

/// The personal blocks after the guideline's: goals, ladder, QR code.
pub fn blocks(fields: &Fields, labels: &Labels) -> Vec<Block> {
    let mut out = Vec::new();
    if !fields.goals.is_empty() || fields.blank_goals {
        let mut pieces = Vec::new();
        if !fields.goals.is_empty() {
            pieces.push(Piece::List(
                fields
                    .goals
                    .iter()
                    .map(|g| (None, vec![Span::text(g, false)]))
                    .collect(),
            ));
        }
        if fields.blank_goals {
            pieces.push(Piece::Paragraph(vec![Span::text(
                &labels.goals_blank,
                false,
            )]));
            pieces.push(Piece::WriteLines(BLANK_GOAL_LINES));
        }
        out.push(Block {
            id: "personlig-maal".into(),
            field: Some(Field::Goals),
            style: BlockStyle::Plain,
            heading: labels.goals_heading.clone(),
            pieces,
        });
    }
    if !fields.steps.is_empty() || fields.ladder {
        // Given steps are the lowest rungs; empty rungs above them leave room to plan on
        // (content-notes §6: a ladder of 4-6 steps).
        let n = fields.steps.len().max(BLANK_STEPS);
        let steps = (0..n)
            .map(|i| {
                (
                    labels.ladder_step.replace("{n}", &(i + 1).to_string()),
                    fields.steps.get(i).cloned(),
                )
            })
            .collect();
        out.push(Block {
            id: "personlig-progressionsstige".into(),
            field: Some(Field::Steps),
            style: BlockStyle::Plain,
            heading: labels.ladder_heading.clone(),
            pieces: vec![
                Piece::Paragraph(vec![Span::text(&labels.ladder_intro, false)]),
                Piece::Ladder(steps),
            ],
        });
    }
    if let Some(url) = &fields.qr_url {
        out.push(Block {
            id: "personlig-qr".into(),
            field: Some(Field::Qr),
            style: BlockStyle::Plain,
            heading: labels.qr_heading.clone(),
            pieces: vec![Piece::Qr {
                url: url.clone(),
                caption: labels.qr_caption.clone(),
                alt: labels.qr_alt.replace("{url}", url),
            }],
        });
    }
    out
}

/// Trims a personal field and checks its length and characters; empty means absent.
pub fn personal(
    field: Field,
    value: Option<&str>,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, Error> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let value = if multiline {
        value.replace("\r\n", "\n")
    } else {
        value.to_string()
    };
    if let Some((ch, reason)) = chars::forbidden(&value, multiline) {
        return Err(Error::ForbiddenChar { field, ch, reason });
    }
    let len = value.chars().count();
    if len > max {
        return Err(Error::FieldTooLong { field, len, max });
    }
    Ok(Some(value))
}
