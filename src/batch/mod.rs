//! Stage 5b: hundreds of handouts from a spreadsheet export.
//!
//! Records stream from the input; a sequential step turns each into a [`job::Job`] (so file
//! names are claimed in row order and two rows never share one); a rayon pool lays out, renders
//! and writes in parallel, each worker with its own shaper (and prepares the handout's pages
//! for the combined PDF); one collector takes the results back in row order, reports, counts
//! and appends to the combined PDF, which goes to disk handout by handout (see
//! [`crate::render::stream`]), so it has no size limit. Nothing but finished files ever
//! appears under a final name.
//!
//! A rerun keeps a file only when it is byte for byte what its row makes now (output is
//! deterministic): comparing bytes covers every input (row, content version, clinic profile,
//! fonts, pjece version) without recording any of them, so nothing in the file can be traced
//! back to patient data, and `build` output is unchanged. Any other file fails its row and is
//! left alone. One exception concerns the date: a row without a date of its own, run without
//! `--date`, is dated the day it is made, so a handout it made on an earlier day is kept when
//! it is what the row makes on that day; finishing a batch the next day neither redates nor
//! fails what was made already.

pub mod input;
pub mod job;
pub mod names;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::error::Error;
use crate::layout::{self, Document};
use crate::render::stream::{CombinedWriter, PreparedHandout, StreamFonts, prepare};
use crate::{Engine, output, select};
use input::{Column, Encoding, Format, Reader, RowError, RowProblem};
use job::{Defaults, Job};

/// The largest existing file read to compare with a row's handout (one is about 30 KB).
const MAX_EXISTING_BYTES: u64 = 16 * 1024 * 1024;

/// Most worker threads by default. Each worker costs about 9 MB (mostly memory the allocator
/// keeps for its thread), on top of about 25 MB: measured peaks of a 2,000-row batch were 33,
/// 56, 74, 101 and 174 MB with 1, 2, 4, 8 and 16 workers. Four keep a batch near 75 MB on any
/// machine and still make hundreds of handouts a second; `--jobs` asks for more.
pub const DEFAULT_MAX_JOBS: usize = 4;

/// Most worker threads a batch runs with (about 9 MB each).
pub const MAX_JOBS: usize = 256;

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The CSV or JSON Lines file.
    pub input: PathBuf,
    /// Its format.
    pub format: Format,
    /// Its encoding.
    pub encoding: Encoding,
    /// Where the handouts go.
    pub out_dir: PathBuf,
    /// Values for rows without their own.
    pub defaults: Defaults,
    /// Also write all handouts into this one file.
    pub combined: Option<PathBuf>,
    /// Pad each handout in the combined file to an even page count.
    pub duplex: bool,
    /// Only validate; write nothing.
    pub check: bool,
    /// Replace existing files.
    pub force: bool,
    /// Worker threads, 1 to [`MAX_JOBS`]; never more start than there are rows.
    pub jobs: usize,
    /// Whether `defaults.date` was given (`--date`). Without it, it is today's, and a rerun
    /// keeps a handout that a row without a date of its own made on an earlier day.
    pub date_given: bool,
    /// Set to stop the batch: no row starts after it is seen, the combined file is not
    /// finished (its temporary file goes), and [`Summary::cancelled`] says so. Handouts
    /// finished before stay, complete; none is left half-written.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Options {
    /// A UTF-8 CSV file `input` made into separate handouts in `out_dir` dated `date`, full
    /// wording unless a row says otherwise, on one worker, replacing nothing: a library
    /// caller's starting point, changed field by field (`Options { jobs: 4, ..Options::new(…) }`).
    pub fn new(input: PathBuf, out_dir: PathBuf, date: jiff::civil::Date) -> Options {
        Options {
            input,
            format: Format::Csv,
            encoding: Encoding::Utf8,
            out_dir,
            defaults: Defaults {
                region: None,
                variant: crate::content::Variant::Full,
                date,
            },
            combined: None,
            duplex: false,
            check: false,
            force: false,
            jobs: 1,
            date_given: true,
            cancel: None,
        }
    }
}

/// Something the caller may want to show while the batch runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// The input is read through once and holds this many rows; sent before any row is done.
    Started {
        /// Rows with data (blank ones left out).
        rows: u64,
    },
    /// A warning about the input as a whole.
    Warning(String),
    /// A row that failed; the others go on.
    Failed(&'a RowError),
    /// One more row is done.
    Progress {
        /// Rows done so far.
        done: u64,
    },
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows read.
    pub rows: u64,
    /// Handouts written.
    pub written: u64,
    /// Rows whose file already existed, was this row's handout, and was kept.
    pub kept: u64,
    /// Rows that failed.
    pub failed: u64,
    /// Of the failed rows, those whose file already existed and differs from their handout.
    pub differs: u64,
    /// Rows that passed `--check`.
    pub checked: u64,
    /// Handouts and pages in the combined file.
    pub combined: Option<(u64, usize)>,
    /// Temporary files of an interrupted earlier run that were removed.
    pub leftovers: u64,
    /// Whether [`Options::cancel`] stopped the batch before every row was done.
    pub cancelled: bool,
}

enum Outcome {
    Written,
    /// The file existed and is this row's handout.
    Unchanged,
    Checked,
}

/// A handout for the combined file: its pages, page label prefix and bookmark.
struct ForCombined {
    handout: PreparedHandout,
    label: String,
    bookmark: String,
}

/// Why a row failed.
enum Failure {
    Row(RowError),
    /// The file existed and is not this row's handout.
    Differs(RowError),
}

impl From<RowError> for Failure {
    fn from(e: RowError) -> Failure {
        Failure::Row(e)
    }
}

struct Done {
    seq: u64,
    result: Result<(Outcome, Option<ForCombined>), Failure>,
}

/// Runs a batch. Fatal problems (options out of range, unreadable input, no region column,
/// unusable output directory) are errors; problems with single rows are reported through
/// `on_event`.
pub fn run(
    engine: &Engine,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary, Error> {
    if !(1..=MAX_JOBS).contains(&opts.jobs) {
        return Err(Error::Input(format!(
            "a batch runs with 1 to {MAX_JOBS} worker threads, not {}",
            opts.jobs
        )));
    }
    let mut reader = Reader::open(&opts.input, opts.format, opts.encoding)
        .map_err(|e| Error::Input(e.to_string()))?;
    if opts.format == Format::Csv {
        warn_unknown(&reader.header.unknown, on_event);
        if !reader.header.columns.contains(&Column::Region) && opts.defaults.region.is_none() {
            return Err(Error::Input(format!(
                "{}: there is no region column (region), so give the region for every row with --region lumbar or --region cervical",
                opts.input.display()
            )));
        }
    }
    prepare_outputs(opts)?;
    let leftovers = match (&opts.combined, opts.check) {
        (_, true) => 0,
        (Some(c), false) if !same_dir(c, &opts.out_dir) => {
            remove_leftovers(&opts.out_dir) + remove_leftovers(parent(c))
        }
        _ => remove_leftovers(&opts.out_dir),
    };

    let cancelled = || {
        opts.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    let rows = reader.rows();
    // More workers than rows would only sit idle, each with its own shaper.
    let jobs = opts
        .jobs
        .min(usize::try_from(rows.max(1)).unwrap_or(MAX_JOBS));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Input(format!("cannot start {jobs} worker threads: {e}")))?;
    let mut claimed = Claimed::default();
    if let Some(c) = &opts.combined
        && same_dir(c, &opts.out_dir)
        && let Some(name) = c.file_name()
    {
        claimed.combined = Some(names::file_key(&name.to_string_lossy()));
    }
    let mut summary = Summary {
        leftovers,
        ..Summary::default()
    };
    // The engine's fonts, which its single handouts are written with too.
    let stream_fonts = opts.combined.as_ref().map(|_| engine.pdf_fonts());
    // Started with the first handout, so a run without any (or `--check`) writes nothing.
    let mut writer: Option<CombinedWriter> = None;
    let (tx, rx) = mpsc::sync_channel::<Done>(jobs * 8);
    on_event(Event::Started { rows });

    std::thread::scope(|scope| -> Result<(), Error> {
        // Rows are handed out one at a time, so a cancel stops the batch within a few rows.
        let feed = reader
            .by_ref()
            .take_while(|_| !cancelled())
            .enumerate()
            .map(|(seq, record)| {
                let job = record
                    .and_then(|r| job::job(&r, &opts.defaults))
                    .and_then(|job| claim(job, &mut claimed));
                (seq as u64, job)
            });
        scope.spawn(move || {
            pool.install(|| {
                feed.par_bridge().for_each_init(
                    || {
                        engine
                            .shaper()
                            .expect("the engine's fonts were checked when it was made")
                    },
                    |shaper, (seq, job)| {
                        let result = job
                            .map_err(Failure::Row)
                            .and_then(|job| process(engine, opts, stream_fonts, &job, shaper));
                        // The collector only stops early on a fatal error; then results are moot.
                        let _ = tx.send(Done { seq, result });
                    },
                );
            });
        });

        // Collect in row order.
        let mut pending = BTreeMap::new();
        let mut next = 0u64;
        for done in rx {
            pending.insert(done.seq, done.result);
            while let Some(result) = pending.remove(&next) {
                next += 1;
                summary.rows += 1;
                match result {
                    Ok((outcome, doc)) => {
                        match outcome {
                            Outcome::Written => summary.written += 1,
                            Outcome::Unchanged => summary.kept += 1,
                            Outcome::Checked => summary.checked += 1,
                        }
                        if let (Some(path), Some(fonts), Some(c)) =
                            (&opts.combined, stream_fonts, doc)
                        {
                            let w = match &mut writer {
                                Some(w) => w,
                                None => {
                                    writer.insert(CombinedWriter::create(path, fonts, engine.pdfa)?)
                                }
                            };
                            w.add(c.handout, &c.label, &c.bookmark)?;
                            let (n, _) = summary.combined.unwrap_or_default();
                            summary.combined = Some((n + 1, w.page_count()));
                        }
                    }
                    Err(Failure::Row(e)) => {
                        summary.failed += 1;
                        on_event(Event::Failed(&e));
                    }
                    Err(Failure::Differs(e)) => {
                        summary.failed += 1;
                        summary.differs += 1;
                        on_event(Event::Failed(&e));
                    }
                }
                on_event(Event::Progress { done: summary.rows });
            }
        }
        Ok(())
    })?;

    if summary.rows < rows && cancelled() {
        // `writer`, dropped unfinished, removes its temporary file.
        summary.cancelled = true;
        return Ok(summary);
    }
    if opts.format == Format::Jsonl {
        warn_unknown(&reader.header.unknown, on_event);
    }
    if let (Some(path), None, false) = (&opts.combined, summary.combined, opts.check) {
        remove_stale_combined(path, on_event)?;
    }
    if let (Some(w), Some((count, _))) = (writer, summary.combined) {
        let title = format!("{} ({count} pjecer)", select::plain_title(&engine.content));
        // Replaced on every run, like `build -o`: it is made from the input alone, and a rerun
        // that finishes an interrupted batch must be able to write it.
        w.finish(
            &title,
            &engine.content.guideline.meta.language,
            opts.defaults.date,
        )?;
    }
    if summary.written > 0 {
        output::sync_dir(&opts.out_dir)?;
    }
    Ok(summary)
}

/// A run that puts no handout in the combined file removes an earlier run's: left in place,
/// it would go to the printer with the earlier patients in it.
fn remove_stale_combined(path: &Path, on_event: &mut dyn FnMut(Event)) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        _ => {}
    }
    std::fs::remove_file(path).map_err(|e| Error::Output {
        path: path.to_path_buf(),
        reason: format!(
            "holds an earlier run's handouts and cannot be removed ({}); delete it before \
             printing",
            crate::content::io_reason(&e)
        ),
    })?;
    on_event(Event::Warning(format!(
        "removed {}, an earlier run's combined file: no row of this run made a handout to put \
         in it",
        path.display()
    )));
    Ok(())
}

fn warn_unknown(unknown: &[String], on_event: &mut dyn FnMut(Event)) {
    if !unknown.is_empty() {
        on_event(Event::Warning(format!(
            "ignoring column{} {} (not read by pjece); the columns it reads are: {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|u| format!("'{u}'"))
                .collect::<Vec<_>>()
                .join(", "),
            Column::accepted()
        )));
    }
}

/// Checks that the output directory and the combined file can be written, and creates the
/// directory, before any row is read: a problem there is one error, not one per row.
fn prepare_outputs(opts: &Options) -> Result<(), Error> {
    if let Some(c) = &opts.combined {
        let fail = |reason: &str| Error::Output {
            path: c.clone(),
            reason: reason.into(),
        };
        let name = c.file_name().map(|n| n.to_string_lossy().to_lowercase());
        if name.as_deref() == Some(".pdf") {
            return Err(fail(
                "is only an extension; name the combined file, e.g. samlet.pdf",
            ));
        }
        if c.extension().is_none_or(|e| !e.eq_ignore_ascii_case("pdf")) {
            return Err(fail("the combined file should end in .pdf"));
        }
    }
    output::check_dir(&opts.out_dir)?;
    if let Some(c) = &opts.combined
        && !same_dir(c, &opts.out_dir)
    {
        output::check_file(c)?;
    }
    if !opts.check {
        std::fs::create_dir_all(&opts.out_dir).map_err(|e| Error::Output {
            path: opts.out_dir.clone(),
            reason: crate::content::io_reason(&e),
        })?;
        output::check_dir(&opts.out_dir)?;
    }
    Ok(())
}

/// Removes `.pjece-*.tmp` files that a killed run left behind (in the output directory, and next
/// to the combined file). Only files older than a minute go, so a batch running at the same time
/// into the same directory keeps its own: a file being written keeps a fresh time.
fn remove_leftovers(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let minute = std::time::Duration::from_secs(60);
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".pjece-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > minute));
        if old && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The directory a file is in.
fn parent(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn same_dir(file: &Path, dir: &Path) -> bool {
    let parent = parent(file);
    match (parent.canonicalize(), dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => parent == dir,
    }
}

/// File names claimed so far, in row order, each with the row that claimed it.
#[derive(Default)]
struct Claimed {
    names: HashMap<String, (u64, input::Place)>,
    /// The combined file, when it lies in the output directory.
    combined: Option<String>,
}

/// Claims a job's file name in row order; a second row wanting the same name fails. The message
/// names the earlier row, not the name: a file column may hold a patient's name.
fn claim(job: Job, claimed: &mut Claimed) -> Result<Job, RowError> {
    let key = names::file_key(&job.file);
    let problem = if claimed.combined.as_ref() == Some(&key) {
        RowProblem::FileNameIsCombined
    } else if let Some(&(earlier, earlier_at)) = claimed.names.get(&key) {
        RowProblem::FileNameTaken {
            earlier,
            earlier_at,
        }
    } else {
        claimed.names.insert(key, (job.row, job.at));
        return Ok(job);
    };
    Err(RowError::typed(
        job.row,
        job.at,
        Some(Column::File),
        problem,
    ))
}

/// Lays out, renders and writes one handout.
fn process(
    engine: &Engine,
    opts: &Options,
    stream_fonts: Option<&StreamFonts>,
    job: &Job,
    shaper: &mut layout::Shaper,
) -> Result<(Outcome, Option<ForCombined>), Failure> {
    let fail = |e: Error| {
        let (column, message) = job::describe(&e, &job.choices);
        RowError::other(job.row, job.at, column, message)
    };
    let path = opts.out_dir.join(&job.file);
    // Messages name the file without the patient's name in it.
    let shown = opts.out_dir.join(names::shown(&job.file));
    let shown = shown.display();
    let row_error = |message: String| RowError::other(job.row, job.at, None, message);
    if path.is_dir() {
        return Err(row_error(format!(
            "{shown} is a directory, where this row's handout should go; move it away, or give \
             this row another name in a file column"
        ))
        .into());
    }
    let exists = path.symlink_metadata().is_ok();
    // Read through the bounded reader: a FIFO or a device named like a handout must neither
    // hang the run nor fill memory.
    let on_file = match exists && !opts.force {
        true => Some(crate::files::read(&path, MAX_EXISTING_BYTES).map_err(|e| {
            row_error(format!(
                "cannot read {shown}: {}",
                e.reason("a PDF handout", "a handout is never that large")
            ))
        })?),
        false => None,
    };
    if on_file
        .as_deref()
        .is_some_and(|f| !output::is_complete_pdf(f))
    {
        // Keeping it would report a handout that cannot be printed; replacing it unasked could
        // destroy a file that is not ours.
        return Err(row_error(format!(
            "{shown} already exists but is not a complete PDF (cut off by a crash or power cut?); \
             delete it, or run again with --force"
        ))
        .into());
    }
    let doc = engine.layout(&job.choices, shaper).map_err(fail)?;
    let bookmark = || {
        let name = job.choices.patient.clone().unwrap_or_default();
        format!("{:04} {name}", job.row).trim_end().to_string()
    };
    // The combined file's pages are made here, in parallel, not by the collector.
    let keep_doc = |doc: Document| {
        stream_fonts.map(|fonts| ForCombined {
            handout: prepare(doc, fonts, opts.duplex),
            label: format!("{:04}", job.row),
            bookmark: bookmark(),
        })
    };
    if let Some(on_file) = on_file {
        if engine.render(&doc).map_err(fail)? == on_file {
            return Ok((Outcome::Unchanged, keep_doc(doc)));
        }
        let made = made_by(&on_file);
        if let Made::Here { date: Some(date) } = made
            && !(opts.date_given || job.dated)
            && date != job.choices.date
        {
            let mut choices = job.choices.clone();
            choices.date = date;
            let then = engine.layout(&choices, shaper).map_err(fail)?;
            if engine.render(&then).map_err(fail)? == on_file {
                return Ok((Outcome::Unchanged, keep_doc(then)));
            }
        }
        let how = match made {
            Made::Here { .. } => "was made from other data".to_string(),
            Made::Elsewhere(Some(creator)) => format!(
                "was made by {creator}, not {}",
                crate::render::CREATOR.trim_start_matches("pjece ")
            ),
            Made::Elsewhere(None) => "was not made by pjece".to_string(),
        };
        return Err(Failure::Differs(row_error(format!(
            "{shown} exists and {how}; --force replaces it"
        ))));
    }
    if opts.check {
        return Ok((Outcome::Checked, None));
    }
    let bytes = engine.render(&doc).map_err(fail)?;
    // Durable at the end of the batch (one syncfs), not per file: see `output::Durability`.
    let written = output::write(&path, &bytes, opts.force, output::Durability::Later);
    written.map_err(|e| match e {
        Error::Output { reason, .. } => row_error(format!("cannot write {shown}: {reason}")),
        Error::OutputExists { .. } => row_error(format!("cannot write {shown}: already exists")),
        other => row_error(other.to_string()),
    })?;
    Ok((Outcome::Written, keep_doc(doc)))
}

/// Who made a file that differs from the row's handout.
enum Made {
    /// This pjece, on `date`.
    Here { date: Option<jiff::civil::Date> },
    /// Another pjece version (named), or another program.
    Elsewhere(Option<String>),
}

/// Reads a PDF's creator and creation date (the handout's date). Only a creator shaped like
/// pjece's is named back, so a file's odd metadata never reaches the terminal.
fn made_by(pdf: &[u8]) -> Made {
    let Ok(meta) = lopdf::Document::load_metadata_mem(pdf) else {
        return Made::Elsewhere(None);
    };
    let creator = meta.creator.unwrap_or_default();
    if creator == crate::render::CREATOR {
        let date = meta.creation_date.as_deref().and_then(|d| {
            let digits = d.strip_prefix("D:")?.get(..8)?;
            jiff::civil::Date::strptime("%Y%m%d", digits).ok()
        });
        return Made::Here { date };
    }
    let version = creator.strip_prefix("pjece ").filter(|v| {
        (1..=32).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    Made::Elsewhere(version.map(|_| creator.clone()))
}
