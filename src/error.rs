//! The library's error type. Messages are lowercase, name what is wrong and where, and say
//! what is allowed; the binary adds `pjece:` and the file being written.

use std::path::PathBuf;

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
    #[error("{what} '{id}' {reason}; valid ids: {}", .valid.join(", "))]
    UnknownId {
        /// `advice id` or `id`.
        what: &'static str,
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
    /// The same id both chosen and omitted.
    #[error("'{id}' is both chosen with --advice and left out with --omit")]
    ChosenAndOmitted {
        /// The id.
        id: String,
    },
    /// Chosen advice inside a section that is left out.
    #[error(
        "advice '{id}' is chosen with --advice, but its section '{block}' is left out with --omit"
    )]
    ChosenInOmitted {
        /// The advice id.
        id: String,
        /// The omitted section.
        block: String,
    },
    /// A patient-handout option given for the therapist's guide, which would not print it.
    #[error(
        "{option} is for the patient handout; the therapist's guide (--audience therapist) lists all advice and prints no personal blocks, so leave it out"
    )]
    NotInTherapistGuide {
        /// The option.
        option: &'static str,
    },
    /// `--advice` given without any id.
    #[error(
        "--advice names no advice ids; leave it out to include all advice, or list the ids to include (see 'pjece list')"
    )]
    NoAdviceChosen,
    /// A region name that is not known.
    #[error("unknown region '{0}'; use lumbar (lænd) or cervical (nakke)")]
    UnknownRegion(String),
    /// A date that cannot be read.
    #[error("{field}: '{value}' is not a date; use YYYY-MM-DD, e.g. 2026-12-03")]
    InvalidDate {
        /// The field holding the date.
        field: String,
        /// The value given.
        value: String,
    },
    /// A personal field that is too long for the handout.
    #[error("{field} is {len} characters long; at most {max} fit on the handout")]
    FieldTooLong {
        /// The field.
        field: String,
        /// Its length in characters.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A value that is not allowed, e.g. a QR address that is not a web address.
    #[error("{field} {reason}")]
    InvalidValue {
        /// The field.
        field: String,
        /// Why.
        reason: String,
    },
    /// Too many items of a repeatable field.
    #[error("{count} {what} given; at most {max} fit on the handout")]
    TooMany {
        /// The items, plural (`goals`, `ladder steps`).
        what: String,
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A multi-line field with too many lines.
    #[error("{field} has {lines} lines; at most {max} fit on the handout")]
    TooManyLines {
        /// The field.
        field: String,
        /// Its number of lines.
        lines: usize,
        /// The limit.
        max: usize,
    },
    /// A character that must not be printed.
    #[error("{field} contains {}, {reason}; remove it", crate::chars::describe(*.ch))]
    ForbiddenChar {
        /// The field.
        field: String,
        /// The character.
        ch: char,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A character the embedded fonts cannot show.
    #[error("{field} contains {}, which the font {font} cannot show", crate::chars::describe(*.ch))]
    MissingGlyph {
        /// The field or block holding it.
        field: String,
        /// The character.
        ch: char,
        /// The font's name.
        font: String,
    },
    /// Content that does not fit where it must go.
    #[error("{what} does not fit: {detail}")]
    DoesNotFit {
        /// What did not fit.
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
    /// krilla refused to write the document.
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
            what: "advice id",
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
