//! The handout: everything one handout says, in order, as plain data. `select` makes it from
//! the content and a therapist's choices; `layout` sets it on pages. Neither needs the other.

use jiff::civil::Date;

use crate::field::Field;
use crate::image::Logo;

/// A run of text in one weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Bold or regular.
    pub bold: bool,
    /// A footnote reference, set small and raised.
    pub footnote: bool,
}

impl Span {
    /// Regular or bold text.
    pub fn text(text: impl Into<String>, bold: bool) -> Span {
        Span {
            text: text.into(),
            bold,
            footnote: false,
        }
    }
}

/// Text with inline bold.
pub type Rich = Vec<Span>;

/// How a block is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockStyle {
    /// Heading and body on the page.
    Plain,
    /// The red-flag warning: framed, tinted, never split.
    Alert,
    /// The therapist's personal note: framed, never split.
    Note,
}

/// One element of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A paragraph.
    Paragraph(Rich),
    /// A bullet list; each item keeps its advice id, if it has one.
    List(Vec<(Option<String>, Rich)>),
    /// Empty lines to write on by hand.
    WriteLines(usize),
    /// The progression ladder: labelled steps, lowest first, each filled in or empty.
    Ladder(Vec<(String, Option<String>)>),
    /// A QR code for `url`, with the address printed under it.
    Qr {
        /// The address encoded.
        url: String,
        /// The words before the printed address.
        caption: String,
        /// Alternative text.
        alt: String,
    },
    /// A line of text linking to a web address.
    Link {
        /// The text.
        text: Rich,
        /// The address.
        url: String,
    },
    /// A footnote: its mark and text, set at the foot of the page that refers to it.
    Footnote {
        /// The mark, e.g. `1`.
        mark: String,
        /// The text.
        text: Rich,
    },
}

/// A block of the handout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The content block id (`note` for the personal note).
    pub id: String,
    /// The field its text was typed into, for a personal block: problems laying it out are
    /// the field's.
    pub field: Option<Field>,
    /// How it is set.
    pub style: BlockStyle,
    /// Its heading.
    pub heading: String,
    /// Its elements.
    pub pieces: Vec<Piece>,
}

/// A labelled personal field in the header, e.g. `Til: Søren Ærø`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine {
    /// The field it comes from (patient, therapist, date, next appointment).
    pub field: Field,
    /// The label.
    pub label: String,
    /// The value.
    pub value: String,
}

/// Everything one handout says, in order, ready for layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    /// The title (first-level heading, document title).
    pub title: String,
    /// The line under the title.
    pub subtitle: Option<String>,
    /// The document language, e.g. `da-DK`.
    pub language: String,
    /// Patient, therapist and date.
    pub fields: Vec<HeaderLine>,
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// The bullet character.
    pub bullet: String,
    /// What a screen reader says for a line left blank to write on.
    pub blank_line: String,
    /// The running header on pages after the first.
    pub running_header: String,
    /// Page-number template with `{page}` and `{pages}`.
    pub page_of: String,
    /// Footer lines naming source and content version.
    pub footer: Vec<String>,
    /// The handout's date (also the PDF's creation date).
    pub date: Date,
    /// The clinic's logo, set at the top right of the first page.
    pub logo: Option<Logo>,
    /// Set in large print.
    pub large_print: bool,
}
