//! The file as it is written: each object goes to disk when it is made. Streams (page content,
//! fonts, images) are written as they are; small objects (pages, structure elements, outline
//! items) are packed into compressed object streams, a handout's into one. The cross-reference
//! entries (8 bytes an object) go to a temporary file, not memory, so memory stays flat at any
//! number of handouts; at the end they become one compressed cross-reference stream.
//!
//! pdf-writer's `Pdf` keeps the whole file in memory, so this module keeps the offsets itself;
//! each object is written through its own small `Chunk`, whose bytes are one object.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use pdf_writer::types::Predictor;
use pdf_writer::{Chunk, Filter, Finish, Name, Ref, Settings, Str};

/// No indentation or line breaks inside objects: a smaller file.
pub(super) const COMPACT: Settings = Settings { pretty: false };

/// An object stream is closed at this many objects or bytes (before compression).
/// A few handouts share one: structure elements repeat, so they compress better together.
const PACK_OBJECTS: usize = 2_000;
const PACK_BYTES: usize = 64 * 1024;

/// A cross-reference stream row: type (1 byte), offset or object stream (5), generation or
/// index (2).
type Row = [u8; 8];
const ROW_WIDTHS: [i32; 3] = [1, 5, 2];

fn row(kind: u8, field2: u64, field3: u16) -> Row {
    let mut r = [0u8; 8];
    r[0] = kind;
    r[1..6].copy_from_slice(&field2.to_be_bytes()[3..]);
    r[6..].copy_from_slice(&field3.to_be_bytes());
    r
}

thread_local! {
    /// One zlib state a thread, reset for each stream: setting one up (~330 KB of tables and
    /// windows) was a third of the time spent compressing a handout's many small streams.
    static COMPRESSOR: RefCell<Option<flate2::Compress>> = const { RefCell::new(None) };
}

/// Compresses with zlib at its default level, as `/FlateDecode` reads it, reusing this thread's
/// compressor. Level 6, not 9: a handout 0.9 % larger (23.8 KB, not 23.6 KB) for 5 % fewer
/// instructions in a whole `pjece build`.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    deflate_pieces(data.len() / 2 + 64, |push| {
        push(data);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
}

/// [`deflate`] of the pieces `fill` gives `push`, in order: for data made as it is read.
/// `capacity` is a guess at the compressed size.
fn deflate_pieces<E>(
    capacity: usize,
    fill: impl FnOnce(&mut dyn FnMut(&[u8])) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    COMPRESSOR.with(|z| {
        let mut z = z.borrow_mut();
        let z = z.get_or_insert_with(|| Compress::new(Compression::new(6), true));
        z.reset();
        let mut out = Vec::with_capacity(capacity);
        let mut feed = |z: &mut Compress, data: &[u8], flush: FlushCompress| {
            let start = z.total_in();
            loop {
                let consumed = (z.total_in() - start) as usize;
                if out.capacity() - out.len() < 64 {
                    out.reserve(out.capacity().max(256));
                }
                let status = z
                    .compress_vec(&data[consumed..], &mut out, flush)
                    .expect("deflating in memory cannot fail");
                let done = match flush {
                    FlushCompress::Finish => status == Status::StreamEnd,
                    _ => (z.total_in() - start) as usize == data.len(),
                };
                if done {
                    break;
                }
            }
        };
        fill(&mut |piece| feed(z, piece, FlushCompress::None))?;
        feed(z, &[], FlushCompress::Finish);
        Ok(out)
    })
}

/// Where the file goes: a file, or (a single handout) memory.
enum Output {
    File(BufWriter<File>),
    Memory(Vec<u8>),
}

/// Where the cross-reference rows of written objects go: a temporary file (a combined file
/// of any size), or memory (a single handout's few hundred).
enum Spill {
    File(BufWriter<File>),
    Memory(Vec<u8>),
}

impl Spill {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Spill::File(f) => f.write_all(bytes),
            Spill::Memory(v) => {
                v.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// Everything spilled, from the start.
    fn reader(&mut self) -> io::Result<Box<dyn Read + '_>> {
        Ok(match self {
            Spill::File(f) => {
                f.flush()?;
                let file = f.get_mut();
                file.seek(SeekFrom::Start(0))?;
                Box::new(BufReader::with_capacity(64 * 1024, file))
            }
            Spill::Memory(v) => Box::new(&v[..]),
        })
    }
}

/// The objects of one object stream being filled.
#[derive(Default)]
struct Pack {
    /// Object numbers and offsets in `data`.
    objects: Vec<(i32, usize)>,
    data: Vec<u8>,
}

/// Cross-reference rows: those of the objects numbered from `base` on are in memory, all before
/// are in the spill file, in order. A row for an earlier object (one written after its
/// handout, such as a bookmark that needed the next handout's) is kept aside until the end.
struct Xref {
    spill: Spill,
    base: i32,
    window: Vec<Row>,
    late: Vec<(i32, Row)>,
}

impl Xref {
    fn set(&mut self, id: i32, r: Row) {
        if id >= self.base {
            let i = (id - self.base) as usize;
            if self.window.len() <= i {
                self.window.resize(i + 1, [0; 8]);
            }
            self.window[i] = r;
        } else {
            self.late.push((id, r));
        }
    }

    /// Moves the rows of every object numbered below `upto` to the spill file.
    fn spill(&mut self, upto: i32) -> io::Result<()> {
        let count = (upto - self.base).max(0) as usize;
        self.window.resize(self.window.len().max(count), [0; 8]);
        for r in self.window.drain(..count) {
            self.spill.write_all(&r)?;
        }
        self.base += count as i32;
        Ok(())
    }
}

/// Writes a PDF file object by object.
pub(super) struct ObjectWriter {
    out: Output,
    pos: u64,
    next: i32,
    xref: Xref,
    pack: Pack,
}

impl ObjectWriter {
    /// Starts a PDF in `out`; `spill` is an empty temporary file for the cross-reference rows.
    pub fn new(out: File, spill: File) -> io::Result<ObjectWriter> {
        ObjectWriter::start(
            Output::File(BufWriter::with_capacity(256 * 1024, out)),
            Spill::File(BufWriter::with_capacity(64 * 1024, spill)),
        )
    }

    /// Starts a PDF in memory, `capacity` bytes reserved.
    pub fn in_memory(capacity: usize) -> ObjectWriter {
        ObjectWriter::start(
            Output::Memory(Vec::with_capacity(capacity)),
            Spill::Memory(Vec::new()),
        )
        .expect("writing into memory cannot fail")
    }

    /// The bytes written so far to memory (none for a file).
    pub fn memory(&self) -> &[u8] {
        match &self.out {
            Output::Memory(v) => v,
            Output::File(_) => &[],
        }
    }

    fn start(out: Output, spill: Spill) -> io::Result<ObjectWriter> {
        let mut w = ObjectWriter {
            out,
            pos: 0,
            next: 1,
            xref: Xref {
                spill,
                base: 1,
                window: Vec::new(),
                late: Vec::new(),
            },
            pack: Pack::default(),
        };
        // Version 1.7 (object and cross-reference streams are 1.5); the second line marks the
        // file as binary for transfer programs.
        w.put(b"%PDF-1.7\n%\x80\x80\x80\x80\n")?;
        Ok(w)
    }

    /// A new object number.
    pub fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        r
    }

    /// Object numbers given out so far.
    pub fn objects(&self) -> i32 {
        self.next - 1
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.pos
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.out {
            Output::File(f) => f.write_all(bytes)?,
            Output::Memory(v) => v.extend_from_slice(bytes),
        }
        self.pos += bytes.len() as u64;
        Ok(())
    }

    /// Writes the one object `write` puts into its chunk straight to the file (for streams,
    /// which cannot go into an object stream).
    pub fn direct(&mut self, write: impl FnOnce(&mut Chunk)) -> io::Result<()> {
        let mut chunk = Chunk::with_settings(COMPACT);
        write(&mut chunk);
        let id = only_object(&chunk);
        self.xref.set(id, row(1, self.pos, 0));
        self.put(chunk.as_bytes())
    }

    /// Packs the one object `write` puts into its chunk into the current object stream, which
    /// is written when full.
    pub fn packed(&mut self, write: impl FnOnce(&mut Chunk)) -> io::Result<()> {
        let mut chunk = Chunk::with_settings(COMPACT);
        write(&mut chunk);
        let id = only_object(&chunk);
        let bytes = chunk.as_bytes();
        // "N 0 obj\n" … "\nendobj\n": the object stream holds the bare object.
        let start = bytes
            .iter()
            .position(|&b| b == b'\n')
            .expect("pdf-writer starts an object with a line")
            + 1;
        let end = bytes.len() - b"\nendobj\n".len();
        self.pack.objects.push((id, self.pack.data.len()));
        self.pack.data.extend_from_slice(&bytes[start..end]);
        self.pack.data.push(b'\n');
        self.pack_if_full()
    }

    /// Writes the packed objects as one object stream when it is full.
    fn pack_if_full(&mut self) -> io::Result<()> {
        if self.pack.objects.len() >= PACK_OBJECTS || self.pack.data.len() >= PACK_BYTES {
            self.flush_pack()?;
        }
        Ok(())
    }

    /// Writes the packed objects as one object stream.
    pub fn flush_pack(&mut self) -> io::Result<()> {
        if self.pack.objects.is_empty() {
            return Ok(());
        }
        let pack = std::mem::take(&mut self.pack);
        let id = self.alloc();
        let mut header = String::new();
        for (i, (obj, offset)) in pack.objects.iter().enumerate() {
            use std::fmt::Write as _;
            let _ = write!(header, "{obj} {offset} ");
            self.xref.set(*obj, row(2, id.get() as u64, i as u16));
        }
        let mut data = header.into_bytes();
        let first = data.len();
        data.extend_from_slice(&pack.data);
        let compressed = deflate(&data);
        self.direct(|c| {
            let mut s = c.stream(id, &compressed);
            s.filter(Filter::FlateDecode);
            s.pair(Name(b"Type"), Name(b"ObjStm"));
            s.pair(Name(b"N"), pack.objects.len() as i32);
            s.pair(Name(b"First"), first as i32);
            s.finish();
        })
    }

    /// Ends a handout: the cross-reference rows of all objects up to the first one still
    /// waiting in the object stream leave memory.
    pub fn end_handout(&mut self) -> io::Result<()> {
        let base = self.xref.base;
        let waiting = self
            .pack
            .objects
            .iter()
            .map(|&(id, _)| id)
            .filter(|&id| id >= base);
        let upto = waiting.min().unwrap_or(self.next);
        self.xref.spill(upto)
    }

    /// Finishes the file: the last object stream, the cross-reference stream with the trailer
    /// entries, and the end marker. Returns the file, flushed, or the bytes written to memory.
    pub fn finish(mut self, catalog: Ref, info: Ref, file_id: [u8; 16]) -> io::Result<Finished> {
        self.flush_pack()?;
        let xref_id = self.alloc();
        let xref_offset = self.pos;
        self.xref.set(xref_id.get(), row(1, xref_offset, 0));
        self.xref.spill(self.next)?;
        let size = self.next;
        let data = self.rows(size)?;
        self.direct(|c| {
            let mut s = c.stream(xref_id, &data);
            s.filter(Filter::FlateDecode);
            s.decode_parms()
                .predictor(Predictor::PngUp)
                .columns(ROW_WIDTHS.iter().sum());
            s.pair(Name(b"Type"), Name(b"XRef"));
            s.pair(Name(b"Size"), size);
            s.insert(Name(b"W")).array().items(ROW_WIDTHS);
            s.pair(Name(b"Root"), catalog);
            s.pair(Name(b"Info"), info);
            s.insert(Name(b"ID"))
                .array()
                .item(Str(&file_id))
                .item(Str(&file_id));
            s.finish();
        })?;
        let tail = format!("startxref\n{xref_offset}\n%%EOF\n");
        self.put(tail.as_bytes())?;
        Ok(match self.out {
            Output::File(f) => Finished::File(f.into_inner().map_err(|e| e.into_error())?),
            Output::Memory(v) => Finished::Memory(v),
        })
    }

    /// The cross-reference rows of objects 0 to `size - 1`, with the PNG "up" predictor (each
    /// row as its difference from the one above, which makes runs of packed objects nearly
    /// constant) and compressed.
    fn rows(&mut self, size: i32) -> io::Result<Vec<u8>> {
        let mut late = std::mem::take(&mut self.xref.late);
        late.sort_by_key(|&(id, _)| id);
        let mut late = late.into_iter().peekable();
        let mut spill = self.xref.spill.reader()?;
        let mut above: Row = [0; 8];
        deflate_pieces(256, |push| {
            for id in 0..size {
                let mut r = if id == 0 {
                    row(0, 0, 0xFFFF)
                } else {
                    let mut r = [0u8; 8];
                    spill.read_exact(&mut r)?;
                    r
                };
                while let Some(&(late_id, late_row)) = late.peek() {
                    if late_id > id {
                        break;
                    }
                    if late_id == id {
                        r = late_row;
                    }
                    late.next();
                }
                let mut line = [0u8; 9];
                line[0] = 2; // PNG filter type "up"
                for i in 0..8 {
                    line[i + 1] = r[i].wrapping_sub(above[i]);
                }
                above = r;
                push(&line);
            }
            Ok(())
        })
    }
}

/// A finished PDF: its file, or its bytes.
pub(super) enum Finished {
    File(File),
    Memory(Vec<u8>),
}

/// The number of the one object in a chunk.
fn only_object(chunk: &Chunk) -> i32 {
    let mut refs = chunk.refs();
    assert_eq!(refs.len(), 1, "one object a chunk");
    refs.next().expect("one object").get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_big_endian_fields() {
        assert_eq!(row(1, 0x0102030405, 7), [1, 1, 2, 3, 4, 5, 0, 7]);
        assert_eq!(row(2, 9, 0x0100), [2, 0, 0, 0, 0, 9, 1, 0]);
    }

    #[test]
    fn object_streams_are_written_when_full_not_only_between_handouts() {
        // The end of a file (trees of a reference a page) is many objects and no handouts:
        // memory stays bounded only if the object stream is written as it fills.
        let mut w = ObjectWriter::new(tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap())
            .unwrap();
        let text = "x".repeat(1000);
        for _ in 0..1000 {
            let id = w.alloc();
            w.packed(|c| {
                c.indirect(id).primitive(Str(text.as_bytes()));
            })
            .unwrap();
            assert!(w.pack.data.len() <= PACK_BYTES, "{}", w.pack.data.len());
        }
        assert!(
            w.len() > 1000,
            "object streams were written: {} bytes",
            w.len()
        );
    }

    #[test]
    fn late_rows_and_spilled_rows_come_back_in_order() {
        let mut w = ObjectWriter::new(tempfile::tempfile().unwrap(), tempfile::tempfile().unwrap())
            .unwrap();
        let a = w.alloc();
        let b = w.alloc();
        w.packed(|c| {
            c.indirect(b).primitive(2);
        })
        .unwrap();
        w.end_handout().unwrap();
        // `a` is written after its rows were spilled, like a bookmark waiting for the next one.
        w.packed(|c| {
            c.indirect(a).primitive(1);
        })
        .unwrap();
        w.flush_pack().unwrap();
        w.xref.spill(w.next).unwrap();
        let rows = w.rows(w.next).unwrap();
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&rows[..])
            .read_to_end(&mut raw)
            .unwrap();
        let mut above = [0u8; 8];
        let decoded: Vec<Row> = raw
            .chunks(9)
            .map(|l| {
                let mut r = [0u8; 8];
                for i in 0..8 {
                    r[i] = l[i + 1].wrapping_add(above[i]);
                }
                above = r;
                r
            })
            .collect();
        let stream = w.next - 1;
        assert_eq!(
            decoded,
            [
                row(0, 0, 0xFFFF),
                row(2, stream as u64, 1),
                row(2, stream as u64, 0),
                row(1, 15, 0)
            ]
        );
    }
}
