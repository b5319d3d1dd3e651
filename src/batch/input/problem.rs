//! What is wrong with a row, typed where an edge says it in its own words (the web page says it
//! in Danish). The English sentence is its `Display`: the command line's, and [`RowError`]'s
//! message. No variant holds a cell's value: a row number, a column, a character's code.
//!
//! [`RowError`]: super::RowError

use super::{Column, Place};
use crate::batch::names::FileNameProblem;

/// A row's problem, typed where it has a cause of its own; the rest is said in English only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RowProblem {
    /// Said only in English, by [`super::RowError::message`].
    #[default]
    Other,
    /// A cell (the error's column) holding a character that must not be printed.
    RefusedChar {
        /// The character (only its code is ever shown).
        ch: char,
        /// Why it is refused, e.g. `a control character`.
        why: &'static str,
    },
    /// The file name an earlier row has already.
    FileNameTaken {
        /// That row's data row number.
        earlier: u64,
        /// Where that row is.
        earlier_at: Place,
    },
    /// The file name of the combined file (`--combined`).
    FileNameIsCombined,
    /// The file name the error's column gives (the file column) or makes (the name, when the
    /// row has no file column) cannot be used.
    FileName(FileNameProblem),
    /// More than one problem, each at its column.
    Several(Vec<(Column, CellProblem)>),
}

/// One cell's problem among a row's several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    /// Said in English only (said of the cell, without its value).
    Said(String),
    /// As [`RowProblem::FileName`].
    FileName(FileNameProblem),
}

impl From<String> for CellProblem {
    fn from(said: String) -> CellProblem {
        CellProblem::Said(said)
    }
}

impl From<&str> for CellProblem {
    fn from(said: &str) -> CellProblem {
        CellProblem::Said(said.into())
    }
}

impl From<FileNameProblem> for CellProblem {
    fn from(problem: FileNameProblem) -> CellProblem {
        CellProblem::FileName(problem)
    }
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellProblem::Said(said) => f.write_str(said),
            CellProblem::FileName(problem) => problem.fmt(f),
        }
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fix = "give this row its own name in a file column";
        match self {
            RowProblem::Other => Ok(()),
            RowProblem::RefusedChar { ch, why } => {
                write!(f, "contains {}, {why}", crate::chars::describe(*ch))
            }
            RowProblem::FileNameTaken { earlier, .. } => {
                write!(f, "this row's file name is row {earlier}'s too; {fix}")
            }
            RowProblem::FileNameIsCombined => write!(
                f,
                "this row's file name is the name of the combined file (--combined); {fix}"
            ),
            RowProblem::FileName(problem) => problem.fmt(f),
            RowProblem::Several(all) => {
                write!(f, "{} problems: ", all.len())?;
                for (i, (column, message)) in all.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "; " };
                    write!(f, "{sep}column {}: {message}", column.name())?;
                }
                Ok(())
            }
        }
    }
}
