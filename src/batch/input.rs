//! Reading a spreadsheet export one record at a time: CSV as Excel writes it (semicolon or comma,
//! UTF-8 with or without BOM, or Windows-1252, Mac Roman or CP850 when asked; CRLF, quoted
//! fields) or JSON Lines. Column names are English or
//! Danish, in any order and case; values are trimmed.

mod codepage;
mod jsonl;
mod problem;
mod sheet;
mod sniff;
mod survey;
pub mod text;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::error::io_reason;
use crate::files::{self, Bounded, ReadError};
use jsonl::read_line;
use sheet::{MAX_RECORD, Quoting, Splitter};
use survey::Survey;

pub use problem::{CellProblem, RowProblem};

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma- or semicolon-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The format named by a file's extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" | "txt" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// How the input's bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without BOM); anything else is refused.
    Utf8,
    /// Windows-1252, what Excel for Windows' older "CSV (semikolonsepareret)" writes.
    Windows1252,
    /// Mac Roman, what Excel for Mac's plain "CSV" writes.
    Macintosh,
    /// CP850 (DOS Latin-1), what DOS programs and older patient systems export.
    Cp850,
}

impl Encoding {
    /// The name people know it by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Macintosh => "Mac Roman",
            Encoding::Cp850 => "CP850",
        }
    }

    /// The value of `--encoding` that chooses it.
    pub fn flag(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Macintosh => "macintosh",
            Encoding::Cp850 => "cp850",
        }
    }

    /// What writes it, for the hint that names it.
    fn written_by(self) -> &'static str {
        match self {
            Encoding::Utf8 => "what Excel's 'CSV UTF-8' writes",
            Encoding::Windows1252 => {
                "what Excel's older 'CSV (semikolonsepareret)' writes on Windows"
            }
            Encoding::Macintosh => "what Excel for Mac's plain 'CSV' writes",
            Encoding::Cp850 => "the DOS Latin-1 that DOS programs and older patient systems export",
        }
    }
}

/// The columns pjece reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// The patient's name.
    Name,
    /// lumbar/cervical (lænd/nakke).
    Region,
    /// full/short (fuld/kort).
    Variant,
    /// Advice ids to include.
    Advice,
    /// Advice or block ids to leave out.
    Omit,
    /// The therapist's name.
    Therapist,
    /// The handout's date.
    Date,
    /// A personal note.
    Note,
    /// The output file name.
    File,
    /// Goals for "Dine mål".
    Goals,
    /// Steps of the progression ladder.
    Steps,
    /// The next appointment.
    Next,
    /// A web address for a QR code.
    Qr,
    /// Large print.
    LargePrint,
}

impl Column {
    /// Every column, in the order the README lists them.
    pub const ALL: [Column; 14] = [
        Column::Name,
        Column::Region,
        Column::Variant,
        Column::Advice,
        Column::Omit,
        Column::Therapist,
        Column::Date,
        Column::Note,
        Column::File,
        Column::Goals,
        Column::Steps,
        Column::Next,
        Column::Qr,
        Column::LargePrint,
    ];

    /// The accepted header names: English first, then Danish.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["name", "navn"],
            Column::Region => &["region"],
            Column::Variant => &["variant"],
            Column::Advice => &["advice", "råd"],
            Column::Omit => &["omit", "udelad"],
            Column::Therapist => &["therapist", "behandler"],
            Column::Date => &["date", "dato"],
            Column::Note => &["note"],
            Column::File => &["file", "fil"],
            Column::Goals => &["goals", "mål"],
            Column::Steps => &["steps", "trin"],
            Column::Next => &["next", "næste tid"],
            Column::Qr => &["qr"],
            Column::LargePrint => &["large print", "stor skrift"],
        }
    }

    /// The English name, used in messages.
    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    /// The column a header names, ignoring case and surrounding space.
    pub fn parse(header: &str) -> Option<Column> {
        let h = header.trim().nfc().collect::<String>().to_lowercase();
        Column::ALL
            .into_iter()
            .find(|c| c.names().contains(&h.as_str()))
    }

    /// All accepted names, for messages: `name/navn, region, ...`.
    pub fn accepted() -> String {
        Column::ALL
            .iter()
            .map(|c| c.names().join("/"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Where a row is, in terms the person fixing the file can find.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Place {
    /// Not known.
    #[default]
    Unknown,
    /// A line of a JSON Lines file.
    Line(u64),
    /// A row as a spreadsheet program numbers it (the header is row 1).
    SheetRow(u64),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Unknown => f.write_str("unknown place"),
            Place::Line(n) => write!(f, "line {n}"),
            Place::SheetRow(n) => write!(f, "spreadsheet row {n}"),
        }
    }
}

/// One input row: its number among the data rows (1 = the first after the header), where it
/// is, and its known values, trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Data row number, 1-based.
    pub row: u64,
    /// Where the row is.
    pub at: Place,
    /// Known columns and their values (empty values left out).
    pub values: Vec<(Column, String)>,
}

impl Record {
    /// The value of a column, if present and not empty.
    pub fn get(&self, column: Column) -> Option<&str> {
        self.values
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v.as_str())
    }
}

/// A problem with one row (or, with `row` 0, the whole input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Data row number (0 for the header or the file as a whole).
    pub row: u64,
    /// Where the row is.
    pub at: Place,
    /// The column at fault, when one is.
    pub column: Option<Column>,
    /// What is wrong, without echoing patient data: the command line's English.
    pub message: String,
    /// The problem, typed where it has a cause of its own, for an edge that says it otherwise.
    pub problem: RowProblem,
}

impl RowError {
    /// An error with no typed cause: the command line's sentence is all an edge can say.
    pub fn other(row: u64, at: Place, column: Option<Column>, message: String) -> RowError {
        RowError {
            row,
            at,
            column,
            message,
            problem: RowProblem::Other,
        }
    }
}

impl RowError {
    /// A typed problem, its message the problem's English.
    pub fn typed(row: u64, at: Place, column: Option<Column>, problem: RowProblem) -> RowError {
        RowError {
            row,
            at,
            column,
            message: problem.to_string(),
            problem,
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row == 0 {
            write!(f, "{}", self.at)?;
        } else {
            write!(f, "row {} ({})", self.row, self.at)?;
        }
        if let Some(c) = self.column {
            write!(f, ", column {}", c.name())?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A problem with the input as a whole.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file cannot be read.
    #[error("cannot read {path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The header row is missing or unusable, or the file is not what it should be.
    #[error("{path}: {reason}")]
    Header {
        /// The file.
        path: String,
        /// What is wrong, for a caller that says it in its own words.
        kind: HeaderProblem,
        /// What is wrong.
        reason: String,
    },
    /// The file is no text export at all (said apart, since each has its own fix).
    #[error("{path}: {reason}")]
    NotText {
        /// The file.
        path: String,
        /// What it is.
        kind: NotText,
        /// What is wrong, and what to do.
        reason: String,
    },
    /// The file is not in the encoding it is to be read in.
    #[error("{path}: {reason}")]
    WrongEncoding {
        /// The file.
        path: String,
        /// The encoding asked for.
        chosen: Encoding,
        /// The encoding its letters show, when pjece reads one that fits.
        looks_like: Option<Encoding>,
        /// What is wrong, and what to do.
        reason: String,
    },
    /// A row that makes every row below it untrustworthy (a quote never closed).
    #[error("{path}: {error}")]
    Row {
        /// The file.
        path: String,
        /// The row and what is wrong.
        error: RowError,
    },
}

/// What is wrong with a header row (or a file with no rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderProblem {
    /// The file is empty: no header row.
    Empty,
    /// No rows below the header (or, for JSON Lines, none at all).
    NoRows,
    /// The header row has a quote never closed, or is too long.
    Unreadable,
    /// A header cell (1-based) holds text pjece refuses (control characters and the like).
    Cell(usize),
    /// Two header columns name the same column.
    Twice(Column),
    /// The first row names no column pjece reads.
    NoKnownColumn,
}

/// What a file that is no text export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotText {
    /// An Excel workbook (.xlsx or .xls) rather than its CSV export.
    Workbook,
    /// UTF-16 text (Excel's "Unicode-tekst").
    Utf16,
    /// Neither text nor a workbook.
    Binary,
}

/// What the header row (or, for JSON Lines, the keys) told us.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// Known columns present.
    pub columns: BTreeSet<Column>,
    /// Column names pjece does not know, as they may be shown (see [`text::shown`]).
    pub unknown: Vec<String>,
}

/// Streams records from a file.
pub struct Reader {
    inner: Inner,
    encoding: Encoding,
    rows: u64,
    /// The header: known and unknown columns.
    pub header: Header,
}

enum Inner {
    Csv {
        split: Splitter<Source>,
        map: Vec<Option<Column>>,
        /// The header's spreadsheet row: data row 1 is the row below.
        header_row: u64,
    },
    Jsonl {
        src: Source,
        buf: Vec<u8>,
        line: u64,
        rows: u64,
    },
    Done,
}

/// Largest input file read. Issue 14's 100 000-row exports are 10 to 50 MB (100 to 500 bytes
/// a row); 256 MB leaves room for long notes and goals, while a runaway file is refused before
/// the two passes over it (each a second or two at this size) begin.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// An input file opened for reading: a regular file, read through [`MAX_INPUT_BYTES`].
type Source = BufReader<Bounded>;

/// Opens `path` for the first pass; refuses, before anything is read, an input that is no
/// regular file or is over the limit.
fn open_input(path: &Path) -> Result<Bounded, InputError> {
    let reason = match files::open(path, MAX_INPUT_BYTES) {
        Ok(file) => return Ok(file),
        // A pipe can be read once only and a device may never end; the file is read twice.
        Err(ReadError::NotAFile(kind)) => {
            format!("is not a regular file but {kind}; save the export to a file first")
        }
        Err(e) => e.reason(
            "a CSV or JSON Lines file",
            &format!(
                "a batch input may be at most {MAX_INPUT_BYTES} bytes (256 MB); split the export"
            ),
        ),
    };
    Err(InputError::Unreadable {
        path: path.display().to_string(),
        reason,
    })
}

/// Opens `path` as a regular file read through the limit.
fn open_file(path: &Path) -> std::io::Result<Bounded> {
    files::open(path, MAX_INPUT_BYTES).map_err(|e| match e {
        ReadError::Io(e) => e,
        // Checked before: the file was swapped or grew since.
        e => std::io::Error::other(e.reason("a CSV or JSON Lines file", "it changed while read")),
    })
}

/// Opens `path` for reading, past a UTF-8 byte order mark.
fn open_buffered(path: &Path) -> std::io::Result<Source> {
    let mut reader = BufReader::with_capacity(64 * 1024, open_file(path)?);
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(reader)
}

/// Picks the separator of the header line: the most frequent of `;`, `,` and tab outside quotes.
fn sniff_delimiter(first: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in first {
        match b {
            b'\n' | b'\r' if !quoted => break,
            b'"' => quoted = !quoted,
            b';' if !quoted => counts[0] += 1,
            b',' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

impl Reader {
    /// Opens `path` and reads its header. The whole file is read through once first, in one
    /// pass: that it is a text file in `encoding`, that no quote runs rows together, and that
    /// it has rows (counted for [`Reader::rows`]).
    pub fn open(path: &Path, format: Format, encoding: Encoding) -> Result<Reader, InputError> {
        let survey = Survey::take(path, format, encoding)?;
        survey.check_encoding(path)?;
        let mut reader = Reader::start(path, format, encoding, survey.delimiter)?;
        if let Some(broken) = survey.broken {
            let map = match &reader.inner {
                Inner::Csv { map, .. } => map.as_slice(),
                _ => &[],
            };
            let row = broken.sheet_row - broken.header_row;
            let at = Place::SheetRow(broken.sheet_row);
            return Err(InputError::Row {
                path: path.display().to_string(),
                error: quoting_error(broken.quoting, row, at, map),
            });
        }
        if survey.rows == 0 {
            return Err(InputError::Header {
                path: path.display().to_string(),
                kind: HeaderProblem::NoRows,
                reason: match format {
                    Format::Csv => {
                        "has no rows below the header row (or only empty ones); nothing to make"
                    }
                    Format::Jsonl => "has no rows; expected one JSON object per line",
                }
                .into(),
            });
        }
        reader.rows = survey.rows;
        Ok(reader)
    }

    /// The rows that hold data (blank ones left out), counted before the first is read.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Opens `path` and reads the CSV header row, cells separated by `delimiter`.
    fn start(
        path: &Path,
        format: Format,
        encoding: Encoding,
        delimiter: u8,
    ) -> Result<Reader, InputError> {
        let shown = path.display().to_string();
        let unreadable = |e: &std::io::Error| InputError::Unreadable {
            path: shown.clone(),
            reason: io_reason(e),
        };
        let header_error = |kind: HeaderProblem, reason: String| InputError::Header {
            path: shown.clone(),
            kind,
            reason,
        };
        let src = open_buffered(path).map_err(|e| unreadable(&e))?;
        if format == Format::Jsonl {
            return Ok(Reader {
                inner: Inner::Jsonl {
                    src,
                    buf: Vec::new(),
                    line: 0,
                    rows: 0,
                },
                encoding,
                rows: 0,
                header: Header::default(),
            });
        }
        let mut split = Splitter::new(src, delimiter);
        let Some(first) = split.next_record().map_err(|e| unreadable(&e))? else {
            return Err(header_error(
                HeaderProblem::Empty,
                "is empty; expected a header row naming the columns".into(),
            ));
        };
        if first.quoting.is_some() || first.too_long {
            return Err(header_error(
                HeaderProblem::Unreadable,
                "the header row cannot be read: it has a quote that is never closed or not doubled (\"\"), or is longer than 256 KB".into(),
            ));
        }
        let header_row = first.sheet_row;
        let mut header = Header::default();
        let mut map = Vec::new();
        for (i, raw) in first.fields().enumerate() {
            let name = decode(raw, encoding)
                .map(|n| text::clean(&n).into_owned())
                .and_then(|n| text::refused(&n).map_or(Ok(n), Err))
                .map_err(|m| {
                    header_error(
                        HeaderProblem::Cell(i + 1),
                        format!("header column {}: {m}", i + 1),
                    )
                })?;
            match Column::parse(&name) {
                Some(c) if header.columns.contains(&c) => {
                    return Err(header_error(
                        HeaderProblem::Twice(c),
                        format!("two header columns mean '{}'; keep one", c.name()),
                    ));
                }
                Some(c) => {
                    header.columns.insert(c);
                    map.push(Some(c));
                }
                None => {
                    let shown_name = if name.trim().is_empty() {
                        format!("(column {}, no name)", i + 1)
                    } else {
                        text::shown(name.trim())
                    };
                    header.unknown.push(shown_name);
                    map.push(None);
                }
            }
        }
        if header.columns.is_empty() {
            return Err(header_error(
                HeaderProblem::NoKnownColumn,
                format!(
                    "the first row names no known column; expected a header row with some of: {}",
                    Column::accepted()
                ),
            ));
        }
        Ok(Reader {
            inner: Inner::Csv {
                split,
                map,
                header_row,
            },
            encoding,
            rows: 0,
            header,
        })
    }
}

/// The error for a record's broken quoting, naming the cell.
fn quoting_error(q: Quoting, row: u64, at: Place, map: &[Option<Column>]) -> RowError {
    let column = map.get(q.field()).copied().flatten();
    let cell = match column {
        Some(_) => "this cell",
        None => &format!("the cell in column {} of the header", q.field() + 1),
    };
    let message = match q {
        Quoting::Unclosed { .. } => format!(
            "the quote that opens {cell} is never closed, so every row below would run into it; \
             close it (a quote inside a cell is written as two: \"\"). No handout was made"
        ),
        Quoting::Stray { run_on: true, .. } => format!(
            "{cell} runs over a line break to a quote that is neither doubled (\"\") nor the cell's end; \
             if its closing quote is missing, the rows below ran into it. Close it, and write a quote \
             inside a cell as two. No handout was made"
        ),
        Quoting::Stray { run_on: false, .. } => format!(
            "{cell} has a quote that is neither doubled nor the cell's end: a quote inside a quoted \
             cell must be doubled (\"\")"
        ),
    };
    RowError::other(row, at, column, message)
}

/// Decodes one field (or JSON line). In a one-byte encoding, a character that Danish text does
/// not hold there (S¿ren) is refused: it is a sign of the wrong encoding, and a handout must
/// not print a garbled name.
fn decode(raw: &[u8], encoding: Encoding) -> Result<String, String> {
    if encoding != Encoding::Utf8 {
        let text = codepage::decode(raw, encoding);
        return match codepage::first_odd_char(&text) {
            None => Ok(text),
            Some(c) => Err(format!(
                "has {}, which is unlikely in text read as {}; was it pasted from a file in \
                 another encoding? Correct it in the spreadsheet",
                crate::chars::describe(c),
                encoding.name()
            )),
        };
    }
    std::str::from_utf8(raw).map(str::to_string).map_err(|e| {
        // The whole file was checked before; it must have changed since.
        let byte = raw[e.valid_up_to()];
        format!("is not UTF-8: byte 0x{byte:02X} cannot start a character (see --encoding)")
    })
}

/// A cell's value as pjece uses it: decoded, cleaned, trimmed; None when empty.
/// Why a cell is refused: a character that must not be printed (typed), or it cannot be read.
enum Refused {
    Char(RowProblem),
    Said(String),
}

fn cell(raw: &[u8], encoding: Encoding) -> Result<Option<String>, Refused> {
    let value = decode(raw, encoding).map_err(Refused::Said)?;
    let value = text::clean(&value);
    if let Some(problem) = text::refused_char(&value) {
        return Err(Refused::Char(problem));
    }
    let value = value.trim();
    Ok((!value.is_empty()).then(|| value.to_string()))
}

const TOO_LONG: &str =
    "is longer than 256 KB, the most a row may hold; is a cell pasted in by mistake?";

impl Iterator for Reader {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let encoding = self.encoding;
        let item = match &mut self.inner {
            Inner::Done => return None,
            Inner::Csv {
                split,
                map,
                header_row,
            } => next_csv(split, map, *header_row, encoding),
            Inner::Jsonl {
                src,
                buf,
                line,
                rows,
            } => next_jsonl(src, buf, line, rows, encoding, &mut self.header),
        };
        match item {
            Next::Row(r) => Some(r),
            Next::Last(r) => {
                // An I/O error, or the file changed since it was checked: nothing after it.
                self.inner = Inner::Done;
                Some(Err(r))
            }
            Next::End => {
                self.inner = Inner::Done;
                None
            }
        }
    }
}

enum Next {
    Row(Result<Record, RowError>),
    Last(RowError),
    End,
}

fn next_csv(
    split: &mut Splitter<Source>,
    map: &[Option<Column>],
    header_row: u64,
    encoding: Encoding,
) -> Next {
    loop {
        let rec = match split.next_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => return Next::End,
            Err(e) => {
                return Next::Last(RowError::other(
                    0,
                    Place::Unknown,
                    None,
                    format!("cannot be read: {}", io_reason(&e)),
                ));
            }
        };
        if rec.is_blank() {
            continue; // Excel writes ";;;;" rows below the data: skip them.
        }
        // Rows are numbered as a spreadsheet shows them, blank rows included: "row 7" is
        // spreadsheet row 8, whatever the line breaks inside quoted cells.
        let row = rec.sheet_row - header_row;
        let at = Place::SheetRow(rec.sheet_row);
        let err = |column, message: String| RowError::other(row, at, column, message);
        if let Some(q) = rec.quoting {
            let error = quoting_error(q, row, at, map);
            return if q.swallows_rows() {
                Next::Last(error)
            } else {
                Next::Row(Err(error))
            };
        }
        if rec.too_long {
            return Next::Row(Err(err(None, TOO_LONG.into())));
        }
        if rec.len() > map.len()
            && rec
                .fields()
                .skip(map.len())
                .any(|f| !f.trim_ascii().is_empty())
        {
            return Next::Row(Err(err(
                None,
                format!(
                    "has {} fields but the header has {}; check for an unquoted separator",
                    rec.len(),
                    map.len()
                ),
            )));
        }
        let mut values = Vec::new();
        for (raw, column) in rec.fields().zip(map.iter()) {
            let Some(column) = *column else { continue };
            match cell(raw, encoding) {
                Ok(Some(v)) => values.push((column, v)),
                Ok(None) => {}
                Err(Refused::Said(message)) => return Next::Row(Err(err(Some(column), message))),
                Err(Refused::Char(problem)) => {
                    return Next::Row(Err(RowError::typed(row, at, Some(column), problem)));
                }
            }
        }
        return Next::Row(Ok(Record { row, at, values }));
    }
}

fn next_jsonl(
    src: &mut Source,
    buf: &mut Vec<u8>,
    line: &mut u64,
    rows: &mut u64,
    encoding: Encoding,
    header: &mut Header,
) -> Next {
    loop {
        let too_long = match read_line(src, buf, MAX_RECORD) {
            Ok(Some(too_long)) => too_long,
            Ok(None) => return Next::End,
            Err(e) => {
                return Next::Last(RowError::other(
                    *rows + 1,
                    Place::Line(*line + 1),
                    None,
                    format!("cannot be read: {}", io_reason(&e)),
                ));
            }
        };
        *line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        *rows += 1;
        let (row, at) = (*rows, Place::Line(*line));
        let err = |message| RowError::other(row, at, None, message);
        if too_long {
            return Next::Row(Err(err(TOO_LONG.into())));
        }
        return Next::Row(match decode(buf, encoding) {
            Ok(text) => jsonl::record(&text, row, at, header),
            Err(message) => Err(err(message)),
        });
    }
}

/// Splits an id list on commas, semicolons, `|` and white space. Case is left to the selection,
/// which matches ids without it and quotes unknown ones as written.
pub fn split_ids(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c == ';' || c == '|' || c.is_whitespace())
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .collect()
}

/// Counts the data rows, for a caller that wants the number before opening a [`Reader`]
/// (None when the file cannot be read, is not text, or a quote runs rows together). The
/// encoding is not checked; [`Reader::rows`] gives the count of a file that is opened anyway.
pub fn count_rows(path: &Path, format: Format) -> Option<u64> {
    Survey::take(path, format, Encoding::Utf8)
        .ok()
        .filter(|s| s.broken.is_none())
        .map(|s| s.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Why a UTF-8 CSV file cannot be opened at all.
    fn refusal(p: &Path) -> String {
        Reader::open(p, Format::Csv, Encoding::Utf8)
            .err()
            .expect("refused")
            .to_string()
    }

    fn read(text: &[u8], format: Format) -> (Header, Vec<Result<Record, RowError>>) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in");
        std::fs::write(&p, text).unwrap();
        let mut r = Reader::open(&p, format, Encoding::Utf8).unwrap();
        let rows: Vec<_> = r.by_ref().collect();
        (r.header, rows)
    }

    #[test]
    fn excel_csv_with_bom_semicolons_crlf_and_quotes() {
        let csv = "\u{feff}Navn ; Region;Råd;Telefon\r\n\"Ærø, Søren\";Lænd;\"hold-dig-aktiv;tag-ansvar\";12345678\r\n\"Anna \"\"Nina\"\" Berg\";nakke;;\r\n;;;\r\n\"Bo\nBoesen\";lænd;;\r\n";
        let (header, rows) = read(csv.as_bytes(), Format::Csv);
        assert_eq!(header.unknown, ["Telefon"]);
        assert!(header.columns.contains(&Column::Name) && header.columns.contains(&Column::Advice));
        let rows: Vec<Record> = rows.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3, "the empty ;;; row makes no record");
        assert_eq!(rows[0].get(Column::Name), Some("Ærø, Søren"));
        assert_eq!(rows[0].get(Column::Region), Some("Lænd"));
        assert_eq!(
            split_ids(rows[0].get(Column::Advice).unwrap()),
            ["hold-dig-aktiv", "tag-ansvar"]
        );
        assert_eq!(rows[1].get(Column::Name), Some("Anna \"Nina\" Berg"));
        assert_eq!(rows[1].get(Column::Advice), None);
        assert_eq!(rows[2].get(Column::Name), Some("Bo\nBoesen"));
        assert_eq!(
            (rows[2].row, rows[2].at),
            (4, Place::SheetRow(5)),
            "blank rows count, as in a spreadsheet"
        );
    }

    #[test]
    fn comma_separated_and_extra_fields() {
        let (_, rows) = read(b"name,region\nA,lumbar\nB,lumbar,oops\n", Format::Csv);
        assert!(rows[0].is_ok());
        let e = rows[1].clone().unwrap_err();
        assert_eq!(
            e.to_string(),
            "row 2 (spreadsheet row 3): has 3 fields but the header has 2; check for an unquoted separator"
        );
    }

    #[test]
    fn windows_1252_is_refused_with_a_hint_or_decoded() {
        let bytes = b"navn;region\nS\xF8ren;l\xE6nd\n";
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        std::fs::write(&p, bytes).unwrap();
        let e = refusal(&p);
        assert!(
            e.contains("is not UTF-8 text: byte 0xF8 at line 2 (offset 13)"),
            "{e}"
        );
        assert!(e.contains("CSV UTF-8"), "{e}");

        let rows: Vec<_> = Reader::open(&p, Format::Csv, Encoding::Windows1252)
            .unwrap()
            .collect();
        assert_eq!(rows[0].as_ref().unwrap().get(Column::Name), Some("Søren"));
    }

    #[test]
    fn header_problems() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        std::fs::write(&p, "navn;name\nA;B\n").unwrap();
        let e = refusal(&p);
        assert!(
            e.ends_with("two header columns mean 'name'; keep one"),
            "{e}"
        );
        std::fs::write(&p, "").unwrap();
        let e = refusal(&p);
        assert!(e.contains("is empty"), "{e}");
        std::fs::write(&p, "Søren;lænd\n").unwrap();
        let e = refusal(&p);
        assert!(e.contains("names no known column"), "{e}");
    }

    #[test]
    fn json_lines() {
        let text = "{\"navn\": \"Søren\", \"region\": \"nakke\", \"råd\": [\"hold-dig-aktiv\", \"tag-ansvar\"], \"cpr\": \"x\"}\r\n\n{\"name\": 5}\n[1]\n{bad\n";
        let (header, rows) = read(text.as_bytes(), Format::Jsonl);
        assert_eq!(header.unknown, ["cpr"]);
        let first = rows[0].clone().unwrap();
        assert_eq!(first.get(Column::Advice), Some("hold-dig-aktiv,tag-ansvar"));
        assert_eq!(
            rows[1].clone().unwrap_err().to_string(),
            "row 2 (line 3), column name: must be text, not a number"
        );
        assert!(
            rows[2]
                .clone()
                .unwrap_err()
                .message
                .contains("must be a JSON object")
        );
        assert!(
            rows[3]
                .clone()
                .unwrap_err()
                .message
                .starts_with("is not valid JSON")
        );
    }

    #[test]
    fn delimiter_sniffing() {
        assert_eq!(sniff_delimiter(b"navn;region;\"a,b\"\n"), b';');
        assert_eq!(sniff_delimiter(b"name,region\n"), b',');
        assert_eq!(sniff_delimiter(b"name\tregion\n"), b'\t');
        assert_eq!(sniff_delimiter(b"name\n"), b';');
    }

    #[test]
    fn columns_in_english_and_danish() {
        assert_eq!(Column::parse(" Navn "), Some(Column::Name));
        assert_eq!(Column::parse("RÅD"), Some(Column::Advice));
        assert_eq!(Column::parse("udelad"), Some(Column::Omit));
        assert_eq!(Column::parse("telefon"), None);
        assert_eq!(split_ids("a, b;c|d  e\tf"), ["a", "b", "c", "d", "e", "f"]);
    }
}
