//! Reading a spreadsheet export one record at a time: CSV as Excel writes it (semicolon or comma,
//! UTF-8 with or without BOM, CRLF, quoted fields) or JSON Lines. Column names are English or
//! Danish, in any order and case; values are trimmed.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::content::io_reason;

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
    /// Windows-1252, what Excel's older "CSV (semikolonsepareret)" writes in Denmark.
    Windows1252,
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
        let h = header.trim().to_lowercase();
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
    /// What is wrong, without echoing patient data.
    pub message: String,
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
    /// The header row is missing or unusable.
    #[error("{path}: {reason}")]
    Header {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// What the header row (or, for JSON Lines, the keys) told us.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// Known columns present.
    pub columns: BTreeSet<Column>,
    /// Column names pjece does not know.
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
        reader: csv::Reader<Box<dyn Read + Send>>,
        map: Vec<Option<Column>>,
    },
    Jsonl {
        lines: std::io::Split<BufReader<Box<dyn Read + Send>>>,
        line: u64,
    },
}

fn skip_bom(reader: &mut BufReader<Box<dyn Read + Send>>) -> std::io::Result<()> {
    let buf = reader.fill_buf()?;
    if buf.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}

/// Picks the separator of the header line: the most frequent of `;`, `,` and tab outside quotes.
fn sniff_delimiter(first: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in first {
        match b {
            b'\n' if !quoted => break,
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
    /// Opens `path` and reads its header.
    pub fn open(path: &Path, format: Format, encoding: Encoding) -> Result<Reader, InputError> {
        let shown = path.display().to_string();
        let unreadable = |e: &std::io::Error| InputError::Unreadable {
            path: shown.clone(),
            reason: io_reason(e),
        };
        if path.is_dir() {
            return Err(InputError::Unreadable {
                path: shown,
                reason: "is a directory, expected a CSV or JSON Lines file".into(),
            });
        }
        if encoding == Encoding::Utf8 {
            check_utf8(path)?;
        }
        let file = File::open(path).map_err(|e| unreadable(&e))?;
        let mut buffered =
            BufReader::with_capacity(64 * 1024, Box::new(file) as Box<dyn Read + Send>);
        skip_bom(&mut buffered).map_err(|e| unreadable(&e))?;
        match format {
            Format::Csv => {
                let delimiter = sniff_delimiter(buffered.fill_buf().map_err(|e| unreadable(&e))?);
                let mut reader = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .flexible(true)
                    .has_headers(false)
                    .from_reader(Box::new(buffered) as Box<dyn Read + Send>);
                let mut first = csv::ByteRecord::new();
                let got = reader
                    .read_byte_record(&mut first)
                    .map_err(|e| InputError::Header {
                        path: shown.clone(),
                        reason: format!("the header row cannot be read ({e})"),
                    })?;
                if !got {
                    return Err(InputError::Header {
                        path: shown,
                        reason: "is empty; expected a header row naming the columns".into(),
                    });
                }
                let mut header = Header::default();
                let mut map = Vec::new();
                for (i, raw) in first.iter().enumerate() {
                    let name = decode(raw, encoding).map_err(|m| InputError::Header {
                        path: shown.clone(),
                        reason: format!("header column {}: {m}", i + 1),
                    })?;
                    match Column::parse(&name) {
                        Some(c) if header.columns.contains(&c) => {
                            return Err(InputError::Header {
                                path: shown,
                                reason: format!("two header columns mean '{}'; keep one", c.name()),
                            });
                        }
                        Some(c) => {
                            header.columns.insert(c);
                            map.push(Some(c));
                        }
                        None => {
                            let shown_name = if name.trim().is_empty() {
                                format!("(column {}, no name)", i + 1)
                            } else {
                                name.trim().to_string()
                            };
                            header.unknown.push(shown_name);
                            map.push(None);
                        }
                    }
                }
                if header.columns.is_empty() {
                    return Err(InputError::Header {
                        path: shown,
                        reason: format!(
                            "the first row names no known column; expected a header row with some of: {}",
                            Column::accepted()
                        ),
                    });
                }
                Ok(Reader {
                    inner: Inner::Csv { reader, map },
                    encoding,
                    rows: 0,
                    header,
                })
            }
            Format::Jsonl => Ok(Reader {
                inner: Inner::Jsonl {
                    lines: buffered.split(b'\n'),
                    line: 0,
                },
                encoding,
                rows: 0,
                header: Header::default(),
            }),
        }
    }
}

/// Refuses a file that is not UTF-8 as a whole, before any row is made: a file saved in another
/// encoding would otherwise fail on every row with a Danish letter, or worse, print garbled names.
fn check_utf8(path: &Path) -> Result<(), InputError> {
    let shown = path.display().to_string();
    let mut file = File::open(path).map_err(|e| InputError::Unreadable {
        path: shown.clone(),
        reason: io_reason(&e),
    })?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry = 0usize; // bytes of an incomplete character kept from the previous chunk
    let mut offset = 0u64; // file offset of buf[0]
    let mut lines = 1u64;
    loop {
        let n = file
            .read(&mut buf[carry..])
            .map_err(|e| InputError::Unreadable {
                path: shown.clone(),
                reason: io_reason(&e),
            })?;
        let len = carry + n;
        let chunk = &buf[..len];
        let at_end = n == 0;
        match std::str::from_utf8(chunk) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && !at_end => carry = len - e.valid_up_to(),
            Err(e) => {
                let bad = e.valid_up_to();
                lines += chunk[..bad].iter().filter(|&&b| b == b'\n').count() as u64;
                let byte = chunk.get(bad).copied().unwrap_or(0);
                return Err(InputError::Header {
                    path: shown,
                    reason: format!(
                        "is not UTF-8 text: byte 0x{byte:02X} at line {lines} (offset {}) cannot start a character. \
                         It looks like Windows-1252, what Excel's older 'CSV (semikolonsepareret)' writes: \
                         in Excel choose File > Save As > 'CSV UTF-8 (kommasepareret) (*.csv)', \
                         or run pjece with --encoding windows-1252",
                        offset + bad as u64
                    ),
                });
            }
        }
        let done = len - carry;
        lines += chunk[..done].iter().filter(|&&b| b == b'\n').count() as u64;
        offset += done as u64;
        buf.copy_within(done..len, 0);
        if at_end {
            return Ok(());
        }
    }
}

/// Decodes one field.
fn decode(raw: &[u8], encoding: Encoding) -> Result<String, String> {
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(raw) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => {
                let byte = raw[e.valid_up_to()];
                let hint = if (0x80..=0xFF).contains(&byte) {
                    " (it looks like Windows-1252, Excel's older 'CSV (semikolonsepareret)'); in Excel choose Save As > 'CSV UTF-8 (kommasepareret)', or run with --encoding windows-1252"
                } else {
                    ""
                };
                Err(format!(
                    "is not UTF-8: byte 0x{byte:02X} cannot start a character{hint}"
                ))
            }
        },
        Encoding::Windows1252 => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(raw);
            Ok(text.into_owned())
        }
    }
}

impl Iterator for Reader {
    type Item = Result<Record, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let encoding = self.encoding;
            match &mut self.inner {
                Inner::Csv { reader, map } => {
                    let mut rec = csv::ByteRecord::new();
                    let read = reader.read_byte_record(&mut rec);
                    if let Ok(false) = read {
                        return None;
                    }
                    // Rows are counted as a spreadsheet shows them: blank rows included, so
                    // "row 7" is spreadsheet row 8 (below the header) whatever the line breaks
                    // inside quoted cells.
                    self.rows += 1;
                    let row = self.rows;
                    let at = Place::SheetRow(row + 1);
                    if let Err(e) = read {
                        // An I/O error ends the input.
                        *reader = csv::ReaderBuilder::new()
                            .from_reader(Box::new(std::io::empty()) as Box<dyn Read + Send>);
                        return Some(Err(RowError {
                            row,
                            at,
                            column: None,
                            message: format!("cannot be read: {}", csv_reason(&e)),
                        }));
                    }
                    if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                        continue; // Excel writes ";;;;" rows below the data: skip them.
                    }
                    if rec.len() > map.len()
                        && rec
                            .iter()
                            .skip(map.len())
                            .any(|f| !f.iter().all(u8::is_ascii_whitespace))
                    {
                        return Some(Err(RowError {
                            row,
                            at,
                            column: None,
                            message: format!(
                                "has {} fields but the header has {}; check for an unquoted separator",
                                rec.len(),
                                map.len()
                            ),
                        }));
                    }
                    let mut values = Vec::new();
                    for (raw, column) in rec.iter().zip(map.iter()) {
                        let Some(column) = column else { continue };
                        match decode(raw, encoding) {
                            Ok(v) => {
                                let v = v.trim();
                                if !v.is_empty() {
                                    values.push((*column, v.to_string()));
                                }
                            }
                            Err(message) => {
                                return Some(Err(RowError {
                                    row,
                                    at,
                                    column: Some(*column),
                                    message,
                                }));
                            }
                        }
                    }
                    return Some(Ok(Record { row, at, values }));
                }
                Inner::Jsonl { lines, line } => {
                    let raw = match lines.next()? {
                        Ok(raw) => raw,
                        Err(e) => {
                            self.rows += 1;
                            return Some(Err(RowError {
                                row: self.rows,
                                at: Place::Line(*line + 1),
                                column: None,
                                message: format!("cannot be read: {}", io_reason(&e)),
                            }));
                        }
                    };
                    *line += 1;
                    let line = *line;
                    let raw = raw.strip_suffix(b"\r").unwrap_or(&raw);
                    if raw.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    self.rows += 1;
                    let row = self.rows;
                    let text = match decode(raw, encoding) {
                        Ok(t) => t,
                        Err(message) => {
                            return Some(Err(RowError {
                                row,
                                at: Place::Line(line),
                                column: None,
                                message,
                            }));
                        }
                    };
                    return Some(json_record(&text, row, Place::Line(line), &mut self.header));
                }
            }
        }
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io_reason(io),
        _ => e.to_string(),
    }
}

/// One JSON Lines object; unknown keys are remembered for the warning.
fn json_record(text: &str, row: u64, at: Place, header: &mut Header) -> Result<Record, RowError> {
    let err = |column, message: String| RowError {
        row,
        at,
        column,
        message,
    };
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| err(None, format!("is not valid JSON: {}", json_reason(&e))))?;
    let serde_json::Value::Object(map) = value else {
        return Err(err(
            None,
            "must be a JSON object like {\"name\": \"...\", \"region\": \"lænd\"}".into(),
        ));
    };
    let mut values = Vec::new();
    let mut seen = BTreeSet::new();
    for (key, v) in map {
        let Some(column) = Column::parse(&key) else {
            if !header.unknown.contains(&key) {
                header.unknown.push(key);
            }
            continue;
        };
        if !seen.insert(column) {
            return Err(err(
                Some(column),
                format!(
                    "appears twice (as '{key}' and another name for '{}')",
                    column.name()
                ),
            ));
        }
        header.columns.insert(column);
        let text = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Array(items) if matches!(column, Column::Advice | Column::Omit) => {
                let mut ids = Vec::new();
                for item in items {
                    match item {
                        serde_json::Value::String(s) => ids.push(s),
                        _ => return Err(err(Some(column), "must be a list of id strings".into())),
                    }
                }
                ids.join(",")
            }
            other => {
                return Err(err(
                    Some(column),
                    format!("must be text, not {}", json_kind(&other)),
                ));
            }
        };
        let text = text.trim();
        if !text.is_empty() {
            values.push((column, text.to_string()));
        }
    }
    Ok(Record { row, at, values })
}

fn json_reason(e: &serde_json::Error) -> String {
    // serde_json adds "at line 1 column N"; the line is always 1 within a JSON Lines row.
    let s = e.to_string();
    s.replace(" at line 1 column ", " at column ")
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Bool(_) => "true/false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
        _ => "null",
    }
}

/// Splits an id list on commas, semicolons, `|` and white space.
pub fn split_ids(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c == ';' || c == '|' || c.is_whitespace())
        .map(|id| id.trim().to_lowercase())
        .filter(|id| !id.is_empty())
        .collect()
}

/// Counts the data rows quickly, for a progress bar (None when the file cannot be read).
pub fn count_rows(path: &Path, format: Format) -> Option<u64> {
    let reader = Reader::open(path, format, Encoding::Windows1252).ok()?;
    // Windows-1252 decodes anything, so counting never stops at an encoding problem.
    Some(reader.count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = Reader::open(&p, Format::Csv, Encoding::Utf8)
            .err()
            .unwrap()
            .to_string();
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
    fn utf8_check_across_chunk_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        // 'ø' (two bytes) straddles the 64 KiB chunk boundary.
        let mut text = "navn\n".to_string();
        text.push_str(&"a".repeat(64 * 1024 - text.len() - 1));
        text.push_str("ø\n");
        std::fs::write(&p, &text).unwrap();
        assert!(check_utf8(&p).is_ok());
        let mut bytes = text.into_bytes();
        bytes.push(0xE6);
        std::fs::write(&p, &bytes).unwrap();
        assert!(
            check_utf8(&p)
                .unwrap_err()
                .to_string()
                .contains("byte 0xE6 at line 3")
        );
    }

    #[test]
    fn header_problems() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in.csv");
        std::fs::write(&p, "navn;name\nA;B\n").unwrap();
        let e = Reader::open(&p, Format::Csv, Encoding::Utf8)
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.ends_with("two header columns mean 'name'; keep one"),
            "{e}"
        );
        std::fs::write(&p, "").unwrap();
        let e = Reader::open(&p, Format::Csv, Encoding::Utf8)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("is empty"), "{e}");
        std::fs::write(&p, "Søren;lænd\n").unwrap();
        let e = Reader::open(&p, Format::Csv, Encoding::Utf8)
            .err()
            .unwrap()
            .to_string();
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
