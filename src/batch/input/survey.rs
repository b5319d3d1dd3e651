//! The one pass over a batch input before any row is made. Reading the file once, it checks
//! that it is text, checks it as UTF-8, weighs its letters for each older encoding when one is
//! asked for, and splits it into rows: how many hold data, and the first quote that runs rows
//! together (then no row can be trusted, so none is made). The rows themselves are read
//! afterwards, in a second pass. Letters are not weighed for UTF-8: that costs more than the
//! rest of the pass, for nothing when the file is UTF-8; one that is not is read once more,
//! only to name the encoding it looks like in the error.

use std::io::Read;
use std::path::Path;

use super::codepage::{Weigher, Weights};
use super::sheet::{MAX_RECORD, Pieces, Quoting, RawRecord};
use super::sniff::{self, HEAD, Utf8, Utf8Check};
use super::{Encoding, Format, InputError, sniff_delimiter};
use crate::content::io_reason;

/// A CSV record whose quoting runs the rows below it together.
#[derive(Debug, Clone, Copy)]
pub struct Broken {
    /// What is wrong.
    pub quoting: Quoting,
    /// The record's spreadsheet row.
    pub sheet_row: u64,
    /// The header's spreadsheet row.
    pub header_row: u64,
}

/// What the pass found.
#[derive(Debug)]
pub struct Survey {
    encoding: Encoding,
    bom: bool,
    utf8: Utf8,
    /// Weighed when `encoding` is not UTF-8.
    weights: Option<Weights>,
    /// The CSV separator, sniffed from the header line.
    pub delimiter: u8,
    /// The rows that hold data (blank ones left out), counting up to `broken`.
    pub rows: u64,
    /// The first record whose quoting runs rows together (CSV).
    pub broken: Option<Broken>,
}

/// How the rows are told apart while the bytes pass.
enum Rows {
    Csv(CsvRows),
    Jsonl(Lines),
}

impl Rows {
    fn feed(&mut self, bytes: &[u8]) {
        match self {
            Rows::Csv(csv) => csv.feed(bytes),
            Rows::Jsonl(lines) => lines.feed(bytes),
        }
    }

    fn finish(self) -> (u64, Option<Broken>) {
        match self {
            Rows::Csv(mut csv) => {
                csv.finish();
                (csv.tally.rows, csv.tally.broken)
            }
            Rows::Jsonl(mut lines) => {
                lines.finish();
                (lines.rows, None)
            }
        }
    }
}

impl Survey {
    /// Reads the file at `path` once, to be read in `encoding`. A file that is not text is
    /// refused as soon as its first bytes show it.
    pub fn take(path: &Path, format: Format, encoding: Encoding) -> Result<Survey, InputError> {
        let mut file = super::open_input(path)?;
        let unreadable = |e: std::io::Error| InputError::Unreadable {
            path: path.display().to_string(),
            reason: io_reason(&e),
        };
        let mut buf = vec![0u8; 64 * 1024];
        let mut head = Vec::with_capacity(HEAD);
        let mut utf8 = Utf8Check::default();
        let mut weigher = (encoding != Encoding::Utf8).then(Weigher::new);
        let mut rows = None;
        let mut bom = false;
        let mut delimiter = b';';
        let mut skip = 0; // a byte order mark, not yet skipped
        loop {
            let n = match file.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(unreadable(e)),
            };
            let piece = &buf[..n];
            if head.len() < HEAD {
                head.extend_from_slice(&piece[..n.min(HEAD - head.len())]);
                if let Some((kind, reason)) = (head.len() == HEAD || n == 0)
                    .then(|| sniff::not_text(&head))
                    .flatten()
                {
                    return Err(InputError::NotText {
                        path: path.display().to_string(),
                        kind,
                        reason,
                    });
                }
            }
            utf8.feed(piece);
            if let Some(w) = &mut weigher {
                w.feed(piece);
            }
            let rows = rows.get_or_insert_with(|| {
                // The reader sees the file past a byte order mark, and sniffs the separator
                // from its first piece: so does the pass.
                bom = piece.starts_with(b"\xEF\xBB\xBF");
                skip = if bom { 3 } else { 0 };
                delimiter = sniff_delimiter(&piece[skip..]);
                match format {
                    Format::Csv => Rows::Csv(CsvRows::new(delimiter)),
                    Format::Jsonl => Rows::Jsonl(Lines::default()),
                }
            });
            if n == 0 {
                break;
            }
            rows.feed(&piece[std::mem::take(&mut skip)..]);
        }
        let (rows, broken) = rows.map_or((0, None), Rows::finish);
        Ok(Survey {
            encoding,
            bom,
            utf8: utf8.finish(),
            weights: weigher.map(Weigher::finish),
            delimiter,
            rows,
            broken,
        })
    }

    /// Refuses a file that is not in the encoding it is to be read in, naming the encoding its
    /// letters show.
    pub fn check_encoding(&self, path: &Path) -> Result<(), InputError> {
        let weights = || match &self.weights {
            Some(w) => Ok(w.clone()),
            None => weigh(path).map_err(|e| InputError::Unreadable {
                path: path.display().to_string(),
                reason: io_reason(&e),
            }),
        };
        match sniff::wrong_encoding_reason(&self.utf8, self.bom, self.encoding, weights)? {
            None => Ok(()),
            Some((looks_like, reason)) => Err(InputError::WrongEncoding {
                path: path.display().to_string(),
                chosen: self.encoding,
                looks_like,
                reason,
            }),
        }
    }
}

/// Weighs the whole file for each one-byte encoding.
fn weigh(path: &Path) -> std::io::Result<Weights> {
    let mut file = super::open_file(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut weigher = Weigher::new();
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(weigher.finish()),
            Ok(n) => weigher.feed(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Counts CSV data rows below the header, up to the first record that runs rows together.
struct CsvRows {
    pieces: Pieces,
    tally: Tally,
}

#[derive(Default)]
struct Tally {
    header_row: Option<u64>,
    rows: u64,
    broken: Option<Broken>,
}

impl CsvRows {
    fn new(delimiter: u8) -> CsvRows {
        CsvRows {
            pieces: Pieces::new(delimiter),
            tally: Tally::default(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        // Past a broken record no row can be trusted: there is nothing more to count.
        if self.tally.broken.is_none() {
            self.pieces.feed(bytes, |rec| self.tally.take(rec));
        }
    }

    fn finish(&mut self) {
        if self.tally.broken.is_none() {
            self.pieces.finish(|rec| self.tally.take(rec));
        }
    }
}

impl Tally {
    /// One record: the header, a data row, a blank row, or the first broken one.
    fn take(&mut self, rec: &RawRecord) {
        let Some(header_row) = self.header_row else {
            self.header_row = Some(rec.sheet_row);
            return;
        };
        if self.broken.is_some() {
            return;
        }
        match rec.quoting.filter(|q| q.swallows_rows()) {
            Some(quoting) => {
                self.broken = Some(Broken {
                    quoting,
                    sheet_row: rec.sheet_row,
                    header_row,
                })
            }
            None => self.rows += u64::from(!rec.is_blank()),
        }
    }
}

/// Counts the lines that hold more than white space, as `jsonl::read_line` reads them: only a
/// line's first [`MAX_RECORD`] bytes are looked at.
#[derive(Debug)]
struct Lines {
    rows: u64,
    /// Bytes of the current line so far (up to the limit), and whether all are white space.
    len: usize,
    open: bool,
    blank: bool,
}

impl Default for Lines {
    fn default() -> Lines {
        Lines {
            rows: 0,
            len: 0,
            open: false,
            blank: true,
        }
    }
}

impl Lines {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' {
                self.end();
                continue;
            }
            self.open = true;
            if self.len < MAX_RECORD {
                self.len += 1;
                self.blank &= b.is_ascii_whitespace();
            }
        }
    }

    fn end(&mut self) {
        self.rows += u64::from(!self.blank);
        *self = Lines {
            rows: self.rows,
            ..Lines::default()
        };
    }

    fn finish(&mut self) {
        if self.open {
            self.end();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Reader;
    use super::*;

    fn survey(bytes: &[u8], format: Format) -> (Survey, Vec<bool>) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("in");
        std::fs::write(&p, bytes).unwrap();
        let survey = Survey::take(&p, format, Encoding::Utf8).unwrap();
        let read = match Reader::open(&p, format, Encoding::Utf8) {
            Ok(r) => r.map(|r| r.is_ok()).collect(),
            Err(_) => Vec::new(),
        };
        (survey, read)
    }

    #[test]
    fn rows_are_counted_as_the_reader_reads_them() {
        let csv: [&[u8]; 6] = [
            b"\xEF\xBB\xBFnavn;region\r\nA;l\r\n;;\r\n\r\n\"B\r\nC\";n\r\n",
            b"name,region\nA,l\nB,l,extra\n \t\nC,l",
            b"name;region\r\rA;l\rB;\"x\"\"y\"\r",
            b"name;region\n\"A \"B\" C\";l\nD;l\n", // a stray quote fails its row only
            b"name;region\n",
            b"",
        ];
        for text in csv {
            let (survey, read) = survey(text, Format::Csv);
            assert_eq!(survey.rows, read.len() as u64, "{text:?}");
            assert!(survey.broken.is_none());
        }
        let jsonl: [&[u8]; 4] = [
            b"{\"name\": \"A\"}\r\n\r\n  \n{\"name\": \"B\"}",
            b"\xEF\xBB\xBF{\"name\": \"A\"}\n[1]\n\t\n",
            b"\n\n",
            b"",
        ];
        for text in jsonl {
            let (survey, read) = survey(text, Format::Jsonl);
            assert_eq!(survey.rows, read.len() as u64, "{text:?}");
        }
        assert_eq!(survey(b"name;region\nA;l\n\nB;l\n", Format::Csv).0.rows, 2);
    }

    #[test]
    fn a_quote_that_runs_rows_together_stops_the_count() {
        let (survey, read) = survey(b"name;region\nA;l\n\nB;\"l\nC;l\nD;l\n", Format::Csv);
        let broken = survey.broken.unwrap();
        assert_eq!((broken.sheet_row, broken.header_row), (4, 1));
        assert_eq!(broken.quoting, Quoting::Unclosed { field: 1 });
        assert_eq!(survey.rows, 1, "the rows above it");
        assert!(read.is_empty(), "the reader refuses the file");
    }

    #[test]
    fn the_separator_is_sniffed_past_a_byte_order_mark() {
        let (survey, _) = survey(b"\xEF\xBB\xBFname,region\nA,l\n", Format::Csv);
        assert_eq!((survey.delimiter, survey.bom), (b',', true));
        assert_eq!(survey.utf8, Utf8::Valid { non_ascii: true });
    }
}
