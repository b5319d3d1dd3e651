//! The library's error type. Messages are lowercase, name what is wrong and where, and say
//! what is allowed; the binary adds `pjece:` and the file being written.

use std::path::PathBuf;

use crate::field::Field;

/// One problem in a content file, located by file and JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, or `embedded guideline.json`.
    pub file: String,
    /// The JSON path inside it (`blocks[3].body[0].text.full`), empty for the whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.message)
        }
    }
}

/// Everything that can go wrong between content and PDF bytes.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content directory is missing or not a directory.
    #[error("content directory {}: {reason}", path.display())]
    ContentDir {
        /// The directory given.
        path: PathBuf,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// One or more problems in the content files.
    #[error("{}", list_problems("the content", .0))]
    InvalidContent(Vec<Problem>),
    /// One or more problems in a clinic profile.
    #[error("{}", list_problems("the clinic profile", .0))]
    InvalidClinic(Vec<Problem>),
    /// An id that is not known, or not valid for the chosen region or variant.
    #[error("{} '{id}' {reason}; valid ids: {}", id_noun(*.field), .valid.join(", "))]
    UnknownId {
        /// [`Field::Advice`] or [`Field::Omit`].
        field: Field,
        /// The id given.
        id: String,
        /// Why it cannot be used, e.g. `is not valid for cervical`.
        reason: String,
        /// The ids that can be used.
        valid: Vec<String>,
    },
    /// An attempt to leave out the red-flag warning.
    #[error(
        "'{id}' is the red-flag warning (when to seek a doctor at once); it is always included and cannot be omitted"
    )]
    RedFlagsRequired {
        /// The red-flag block id.
        id: String,
    },
    /// A document whose red-flag box would be missing or lack its warning signs or its call.
    /// Validated content never does; this refuses content that bypassed validation.
    #[error(
        "{document} cannot be made: {problem}; every handout must show the warning signs and whom to call"
    )]
    RedFlagsIncomplete {
        /// The document, e.g. `the short cervical handout`.
        document: String,
        /// What is wrong, naming the block.
        problem: String,
    },
    /// The same id both chosen as advice and left out.
    #[error("'{id}' is both chosen as advice and left out")]
    ChosenAndOmitted {
        /// The id.
        id: String,
    },
    /// Chosen advice inside a section that is left out.
    #[error("advice '{id}' is chosen, but its section '{block}' is left out")]
    ChosenInOmitted {
        /// The advice id.
        id: String,
        /// The omitted section.
        block: String,
    },
    /// A patient's field given for the therapist's guide, which is no patient's document
    /// (select's list of the fields only a patient handout prints).
    #[error("{} {}", .field.words(), self.detail().unwrap_or_default())]
    NotInTherapistGuide {
        /// The field given.
        field: Field,
    },
    /// A choice of advice that names no id.
    #[error(
        "the choice of advice names no advice ids; leave it out to include all advice, or list the ids to include"
    )]
    NoAdviceChosen,
    /// A region name that is not known.
    #[error("unknown region '{0}'; use lumbar (lænd) or cervical (nakke)")]
    UnknownRegion(String),
    /// A date that cannot be read.
    #[error("{} {}", .field.words(), self.detail().unwrap_or_default())]
    InvalidDate {
        /// The field holding the date.
        field: Field,
        /// The value given.
        value: String,
    },
    /// A personal field that is too long for the handout.
    #[error("{} {}", .field.words(), self.detail().unwrap_or_default())]
    FieldTooLong {
        /// The field.
        field: Field,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A value that is not allowed, e.g. a QR address that is not a web address.
    #[error("{} {reason}", .field.words())]
    InvalidValue {
        /// The field.
        field: Field,
        /// Why, said of the field: `must be a web address ...`.
        reason: String,
    },
    /// Too many items of a repeatable field.
    #[error("{count} {} given; at most {max} fit on the handout", items(*.field))]
    TooMany {
        /// [`Field::Goals`] or [`Field::Steps`].
        field: Field,
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A multi-line field with too many lines.
    #[error("{} {}", .field.words(), self.detail().unwrap_or_default())]
    TooManyLines {
        /// The field.
        field: Field,
        /// Its number of lines.
        lines: usize,
        /// The limit.
        max: usize,
    },
    /// A character that must not be printed.
    #[error("{} {}", .field.words(), self.detail().unwrap_or_default())]
    ForbiddenChar {
        /// The field.
        field: Field,
        /// The character.
        ch: char,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A character the embedded fonts cannot show.
    #[error("{} {}", subject(*.field, .what), self.detail().unwrap_or_default())]
    MissingGlyph {
        /// The field the text was typed into, when it is the user's own.
        field: Option<Field>,
        /// Where the text is in the handout (`text of 'prognose'`), for content.
        what: String,
        /// The character.
        ch: char,
        /// The font's name.
        font: String,
    },
    /// Content that does not fit where it must go.
    #[error("{} {}", subject(*.field, .what), self.detail().unwrap_or_default())]
    DoesNotFit {
        /// The field the text was typed into, when it is the user's own.
        field: Option<Field>,
        /// What did not fit (`the red-flag box 'roede-flag'`), for content.
        what: String,
        /// How much, and what to do.
        detail: String,
    },
    /// A font file that cannot be used.
    #[error("font {name}: {reason}")]
    BadFont {
        /// The font's name or path.
        name: String,
        /// Why.
        reason: String,
    },
    /// A batch input that cannot be used at all.
    #[error("{0}")]
    Input(String),
    /// The PDF writer could not write the document (a logo it cannot embed).
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    /// The output file could not be written.
    #[error("cannot write {}: {reason}", path.display())]
    Output {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The output file is there already and may not be replaced (no `--force`).
    #[error("cannot write {}: already exists", path.display())]
    OutputExists {
        /// The file.
        path: PathBuf,
    },
}

impl Error {
    /// The field of the choices the problem is in, if it is in one: where a form shows it.
    pub fn field(&self) -> Option<Field> {
        match self {
            Error::UnknownId { field, .. }
            | Error::NotInTherapistGuide { field }
            | Error::InvalidDate { field, .. }
            | Error::FieldTooLong { field, .. }
            | Error::InvalidValue { field, .. }
            | Error::TooMany { field, .. }
            | Error::TooManyLines { field, .. }
            | Error::ForbiddenChar { field, .. } => Some(*field),
            Error::MissingGlyph { field, .. } | Error::DoesNotFit { field, .. } => *field,
            Error::RedFlagsRequired { .. }
            | Error::ChosenAndOmitted { .. }
            | Error::ChosenInOmitted { .. } => Some(Field::Omit),
            Error::NoAdviceChosen => Some(Field::Advice),
            Error::ContentDir { .. }
            | Error::InvalidContent(_)
            | Error::InvalidClinic(_)
            | Error::RedFlagsIncomplete { .. }
            | Error::UnknownRegion(_)
            | Error::BadFont { .. }
            | Error::Input(_)
            | Error::Pdf(_)
            | Error::Output { .. }
            | Error::OutputExists { .. } => None,
        }
    }

    /// What is wrong with the field, said without naming it, for an edge that names the field
    /// its own way: `--note` + ` is 401 characters long; at most 400 fit on the handout`.
    /// `None` when the message is not of that form (no field, or more than one).
    pub fn detail(&self) -> Option<String> {
        let glyph = |ch: &char| crate::chars::describe(*ch);
        Some(match self {
            Error::NotInTherapistGuide { .. } => "is for the patient handout; the therapist's guide lists all advice and prints nothing of one patient's, so leave it out".into(),
            Error::InvalidDate { value, .. } => format!("'{value}' {}", crate::dates::DATE_FORMATS),
            Error::FieldTooLong { len, max, .. } => {
                format!("is {len} characters long; at most {max} fit on the handout")
            }
            Error::InvalidValue { reason, .. } => reason.clone(),
            Error::TooMany { field, count, max } => {
                format!(
                    "has {count} {}; at most {max} fit on the handout",
                    items(*field)
                )
            }
            Error::TooManyLines { lines, max, .. } => {
                format!("has {lines} lines; at most {max} fit on the handout")
            }
            Error::ForbiddenChar { ch, reason, .. } => {
                format!("contains {}, {reason}; remove it", glyph(ch))
            }
            Error::MissingGlyph { ch, font, .. } => {
                format!("contains {}, which the font {font} cannot show", glyph(ch))
            }
            Error::DoesNotFit { detail, .. } => format!("does not fit: {detail}"),
            _ => return None,
        })
    }

    /// The error, said of `field` when it is about text laid out from it: layout names what it
    /// sets (`text of 'note'`), the block it came from knows the field the user typed it into.
    pub fn in_field(self, field: Option<Field>) -> Error {
        match self {
            Error::MissingGlyph {
                field: None,
                what,
                ch,
                font,
            } => Error::MissingGlyph {
                field,
                what,
                ch,
                font,
            },
            Error::DoesNotFit {
                field: None,
                what,
                detail,
            } => Error::DoesNotFit {
                field,
                what,
                detail,
            },
            other => other,
        }
    }
}

/// How an unknown id is named: an advice id is looked for among advice only.
fn id_noun(field: Field) -> &'static str {
    if field == Field::Advice {
        "advice id"
    } else {
        "id"
    }
}

/// The items of a repeatable field, counted: `7 ladder steps`.
fn items(field: Field) -> &'static str {
    match field {
        Field::Steps => "ladder steps",
        other => other.name(),
    }
}

/// The subject of a message about laid-out text: the field, or where it is in the content.
fn subject(field: Option<Field>, what: &str) -> &str {
    field.map_or(what, |f| f.words())
}

fn list_problems(what: &str, problems: &[Problem]) -> String {
    let n = problems.len();
    let mut s = format!("{what} has {n} problem{}:", if n == 1 { "" } else { "s" });
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A lowercase description of an I/O error without the "(os error N)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_and_where() {
        let e = Error::UnknownId {
            field: Field::Advice,
            id: "sund-vaegt".into(),
            reason: "is not valid for cervical".into(),
            valid: vec!["hold-dig-aktiv".into(), "tag-ansvar".into()],
        };
        assert_eq!(
            e.to_string(),
            "advice id 'sund-vaegt' is not valid for cervical; valid ids: hold-dig-aktiv, tag-ansvar"
        );
        let e = Error::InvalidContent(vec![Problem {
            file: "c/guideline.json".into(),
            path: "blocks[2].id".into(),
            message: "must not be empty".into(),
        }]);
        assert_eq!(
            e.to_string(),
            "the content has 1 problem:\n  c/guideline.json: blocks[2].id: must not be empty"
        );
    }
}
