//! Splits CSV into records as Excel writes and reads it, strictly enough to notice broken
//! quoting (the csv crate silently takes a quote that is never closed to the end of the file,
//! merging every later row into one cell), counting rows as a spreadsheet shows them, and never
//! holding more than [`MAX_RECORD`] bytes of a record.

use std::io::{self, BufRead};

/// The most bytes a record (or a JSON Lines line) may hold: far more than every column pjece
/// reads allows together, room for long columns it ignores (journal text), and little enough
/// that a runaway cell cannot exhaust memory.
pub const MAX_RECORD: usize = 256 * 1024;

/// What is wrong with a record's quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// A quote inside a quoted cell that is neither doubled nor the cell's end.
    Stray {
        /// The cell (0-based).
        field: usize,
        /// The cell had run over a line break by then: most likely its closing quote is
        /// missing, and the rows below ran into it.
        run_on: bool,
    },
    /// The file ends inside this quoted cell.
    Unclosed {
        /// The cell (0-based).
        field: usize,
    },
}

impl Quoting {
    /// The cell at fault.
    pub fn field(self) -> usize {
        match self {
            Quoting::Stray { field, .. } | Quoting::Unclosed { field } => field,
        }
    }

    /// Whether rows below may have run into this one: then no row can be trusted.
    pub fn swallows_rows(self) -> bool {
        matches!(
            self,
            Quoting::Unclosed { .. } | Quoting::Stray { run_on: true, .. }
        )
    }
}

/// One record: its cells' bytes as written (CR and CRLF inside cells kept as `\r`).
#[derive(Debug, Default)]
pub struct RawRecord {
    buf: Vec<u8>,
    ends: Vec<usize>,
    /// The spreadsheet row: blank lines count, line breaks inside a cell do not.
    pub sheet_row: u64,
    /// More than [`MAX_RECORD`] bytes; the cells are cut short.
    pub too_long: bool,
    /// The first quoting problem.
    pub quoting: Option<Quoting>,
}

impl RawRecord {
    /// The cells.
    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter()).map(|(s, &e)| &self.buf[s..e])
    }

    /// How many cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether every cell is empty or white space (Excel writes `;;;` rows below the data).
    pub fn is_blank(&self) -> bool {
        self.buf.iter().all(u8::is_ascii_whitespace)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records.
    Idle,
    StartField,
    InField,
    Quoted,
    /// A quote in a quoted cell: doubled, or the cell's end.
    QuotedQuote,
}

/// The state machine, apart from the source so it can run over a borrowed buffer.
struct Machine {
    sep: u8,
    state: State,
    /// The last byte was a CR line break; an LF right after it is part of the same break.
    after_cr: bool,
    sheet_row: u64,
    /// Line breaks inside the current quoted cell.
    cell_breaks: u64,
    rec: RawRecord,
}

impl Machine {
    fn new(sep: u8) -> Machine {
        Machine {
            sep,
            state: State::Idle,
            after_cr: false,
            sheet_row: 0,
            cell_breaks: 0,
            rec: RawRecord::default(),
        }
    }

    /// Takes one byte; true when it ends a record.
    fn step(&mut self, b: u8) -> bool {
        if std::mem::take(&mut self.after_cr) && b == b'\n' {
            return false;
        }
        let brk = b == b'\n' || b == b'\r';
        self.after_cr = b == b'\r';
        match self.state {
            State::Idle if brk => {
                self.sheet_row += 1; // a blank line is a spreadsheet row too
                false
            }
            State::Idle => {
                self.sheet_row += 1;
                self.rec.buf.clear();
                self.rec.ends.clear();
                self.rec.sheet_row = self.sheet_row;
                self.rec.too_long = false;
                self.rec.quoting = None;
                self.state = State::StartField;
                self.step_field(b, brk)
            }
            _ => self.step_field(b, brk),
        }
    }

    fn step_field(&mut self, b: u8, brk: bool) -> bool {
        match self.state {
            State::StartField if b == b'"' => {
                self.state = State::Quoted;
                self.cell_breaks = 0;
            }
            State::Quoted if b == b'"' => self.state = State::QuotedQuote,
            State::Quoted => {
                self.cell_breaks += u64::from(brk);
                self.push(b);
            }
            State::QuotedQuote if b == b'"' => {
                self.push(b);
                self.state = State::Quoted;
            }
            _ if b == self.sep => {
                self.end_field();
                self.state = State::StartField;
            }
            _ if brk => {
                self.end_field();
                self.state = State::Idle;
                return true;
            }
            State::QuotedQuote => {
                // Kept as the csv crate would, so the record still ends where it seems to.
                let quoting = Quoting::Stray {
                    field: self.rec.ends.len(),
                    run_on: self.cell_breaks > 0,
                };
                self.rec.quoting.get_or_insert(quoting);
                self.push(b'"');
                self.push(b);
                self.state = State::InField;
            }
            _ => {
                self.push(b);
                self.state = State::InField;
            }
        }
        false
    }

    /// At the end of the input: the last record, if one was open.
    fn finish(&mut self) -> bool {
        if self.state == State::Idle {
            return false;
        }
        if self.state == State::Quoted {
            // Unclosed outranks a stray quote seen before: it explains it.
            self.rec.quoting = Some(Quoting::Unclosed {
                field: self.rec.ends.len(),
            });
        }
        self.end_field();
        self.state = State::Idle;
        true
    }

    fn push(&mut self, b: u8) {
        if self.rec.buf.len() + self.rec.ends.len() < MAX_RECORD {
            self.rec.buf.push(b);
        } else {
            self.rec.too_long = true;
        }
    }

    fn end_field(&mut self) {
        if self.rec.buf.len() + self.rec.ends.len() < MAX_RECORD {
            self.rec.ends.push(self.rec.buf.len());
        } else {
            self.rec.too_long = true;
        }
    }
}

/// Reads records one at a time.
pub struct Splitter<R> {
    src: R,
    machine: Machine,
}

impl<R: BufRead> Splitter<R> {
    /// Reads `src`, cells separated by `sep`.
    pub fn new(src: R, sep: u8) -> Splitter<R> {
        Splitter {
            src,
            machine: Machine::new(sep),
        }
    }

    /// The next record; blank lines are skipped but counted.
    pub fn next_record(&mut self) -> io::Result<Option<&RawRecord>> {
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(self.machine.finish().then_some(&self.machine.rec));
            }
            let end = buf.iter().position(|&b| self.machine.step(b));
            let used = end.map_or(buf.len(), |i| i + 1);
            self.src.consume(used);
            if end.is_some() {
                return Ok(Some(&self.machine.rec));
            }
        }
    }
}

/// Splits records from bytes handed over in pieces, for a pass that reads the file itself (and
/// does other work with the same bytes).
pub struct Pieces {
    machine: Machine,
}

impl Pieces {
    /// Cells separated by `sep`.
    pub fn new(sep: u8) -> Pieces {
        Pieces {
            machine: Machine::new(sep),
        }
    }

    /// Takes the next bytes; `each` is given every record they end.
    pub fn feed(&mut self, bytes: &[u8], mut each: impl FnMut(&RawRecord)) {
        for &b in bytes {
            if self.machine.step(b) {
                each(&self.machine.rec);
            }
        }
    }

    /// The input has ended: `each` is given the last record, if one was open.
    pub fn finish(&mut self, mut each: impl FnMut(&RawRecord)) {
        if self.machine.finish() {
            each(&self.machine.rec);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &[u8]) -> Vec<(u64, Vec<String>, Option<Quoting>)> {
        let mut s = Splitter::new(text, b';');
        let mut out = Vec::new();
        while let Some(r) = s.next_record().unwrap() {
            let cells = r
                .fields()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            out.push((r.sheet_row, cells, r.quoting));
        }
        out
    }

    #[test]
    fn excel_quoting_and_line_breaks() {
        let got = split(b"a;b\r\n\"x;\"\"y\"\"\";\"1\r\n2\"\r\n\r\n\nc;\rd\n");
        assert_eq!(got[0], (1, vec!["a".into(), "b".into()], None));
        assert_eq!(got[1], (2, vec!["x;\"y\"".into(), "1\r2".into()], None));
        assert_eq!(got[2], (5, vec!["c".into(), "".into()], None));
        assert_eq!(got[3], (6, vec!["d".into()], None));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn broken_quotes() {
        let got = split(b"n;r\n\"Anna \"Nina\" Berg\";l\nBo;l\n");
        assert_eq!(
            got[1].2,
            Some(Quoting::Stray {
                field: 0,
                run_on: false
            })
        );
        assert_eq!(got[2].1, ["Bo", "l"]);
        let got = split(b"n;r;note\nA;l;\"hej\nBo;l;\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].2, Some(Quoting::Unclosed { field: 2 }));
        let got = split(b"n;r;note\nA;l;\"hej\nBo;l;\"ok\"\nIb\n");
        assert!(got[1].2.is_some_and(Quoting::swallows_rows));
    }

    #[test]
    fn pieces_split_as_the_splitter_does() {
        let text = b"a;b\r\n\"x;\"\"y\"\"\";\"1\r\n2\"\r\n\r\n\nc;\rd\n\"open;e\nf";
        let whole = split(text);
        for size in [1, 2, 3, 7, text.len()] {
            let mut pieces = Pieces::new(b';');
            let mut got = Vec::new();
            let mut take = |r: &RawRecord| {
                let cells = r
                    .fields()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect::<Vec<_>>();
                got.push((r.sheet_row, cells, r.quoting));
            };
            for piece in text.chunks(size) {
                pieces.feed(piece, &mut take);
            }
            pieces.finish(&mut take);
            assert_eq!(got, whole, "pieces of {size}");
        }
        assert_eq!(
            whole.last().unwrap().2,
            Some(Quoting::Unclosed { field: 0 })
        );
    }

    #[test]
    fn records_are_bounded() {
        let mut text = b"a;".to_vec();
        text.extend(std::iter::repeat_n(b'x', 2 * MAX_RECORD));
        text.extend(b"\nb;c\n");
        let mut s = Splitter::new(&text[..], b';');
        let r = s.next_record().unwrap().unwrap();
        assert!(r.too_long && r.buf.len() <= MAX_RECORD);
        let r = s.next_record().unwrap().unwrap();
        assert!(!r.too_long && r.len() == 2);
        let seps = vec![b';'; 2 * MAX_RECORD];
        let mut s = Splitter::new(&seps[..], b';');
        assert!(s.next_record().unwrap().unwrap().too_long);
    }
}
