//! Stage 5b: hundreds of handouts from a spreadsheet export.
//!
//! Records stream from the input; a sequential step turns each into a [`job::Job`] (so file
//! names are claimed in row order and two rows never share one); a rayon pool lays out, renders
//! and writes in parallel, each worker with its own shaper (and prepares the handout's pages
//! for the combined PDF); one collector takes the results back in row order, reports, counts
//! and appends to the combined PDF, which goes to disk handout by handout (see
//! [`crate::render::stream`]), so it has no size limit. Nothing but finished files ever
//! appears under a final name.

pub mod input;
pub mod job;
pub mod names;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::error::Error;
use crate::layout::{self, Document};
use crate::render::stream::{CombinedWriter, PreparedHandout, StreamFonts, prepare};
use crate::{Engine, output, select};
use input::{Column, Encoding, Format, Reader, RowError};
use job::{Defaults, Job};

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
    /// Worker threads.
    pub jobs: usize,
}

/// Something the caller may want to show while the batch runs.
#[derive(Debug)]
pub enum Event<'a> {
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
    /// Rows whose file already existed and was kept.
    pub kept: u64,
    /// Rows that failed.
    pub failed: u64,
    /// Rows that passed `--check`.
    pub checked: u64,
    /// Handouts and pages in the combined file.
    pub combined: Option<(u64, usize)>,
    /// Temporary files of an interrupted earlier run that were removed.
    pub leftovers: u64,
}

enum Outcome {
    Written,
    /// The file existed; `differs` when it is not what this run makes for the combined file.
    Kept {
        row: u64,
        differs: bool,
    },
    Checked,
}

/// A handout for the combined file: its pages, page label prefix and bookmark.
struct ForCombined {
    handout: PreparedHandout,
    label: String,
    bookmark: String,
}

struct Done {
    seq: u64,
    result: Result<(Outcome, Option<ForCombined>), RowError>,
}

/// Runs a batch. Fatal problems (unreadable input, no region column, unusable output
/// directory) are errors; problems with single rows are reported through `on_event`.
pub fn run(
    engine: &Engine,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Summary, Error> {
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
    let leftovers = if opts.check {
        0
    } else {
        // The combined file is written for the whole run beside its final name: a killed
        // run leaves it there, in its own directory if it has one.
        let combined_dir = opts
            .combined
            .as_ref()
            .filter(|c| !same_dir(c, &opts.out_dir))
            .map(|c| match c.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            });
        remove_leftovers(&opts.out_dir) + combined_dir.map_or(0, |d| remove_leftovers(&d))
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| Error::Input(format!("cannot start {} worker threads: {e}", opts.jobs)))?;
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
    let stream_fonts = match &opts.combined {
        Some(_) => Some(StreamFonts::new(&engine.fonts)?),
        None => None,
    };
    let stream_fonts = stream_fonts.as_ref();
    // Started with the first handout, so a run without any (or `--check`) writes nothing.
    let mut writer: Option<CombinedWriter> = None;
    let (tx, rx) = mpsc::sync_channel::<Done>(opts.jobs.max(1) * 8);
    let mut differing = Vec::new();

    std::thread::scope(|scope| -> Result<(), Error> {
        let feed = reader.by_ref().enumerate().map(|(seq, record)| {
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
                        let result =
                            job.and_then(|job| process(engine, opts, stream_fonts, &job, shaper));
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
                            Outcome::Kept { row, differs } => {
                                summary.kept += 1;
                                if differs {
                                    differing.push(row);
                                }
                            }
                            Outcome::Checked => summary.checked += 1,
                        }
                        if let (Some(path), Some(fonts), Some(c)) =
                            (&opts.combined, stream_fonts, doc)
                        {
                            let w = match &mut writer {
                                Some(w) => w,
                                None => writer.insert(CombinedWriter::create(path, fonts)?),
                            };
                            w.add(c.handout, &c.label, &c.bookmark)?;
                            let (n, _) = summary.combined.unwrap_or_default();
                            summary.combined = Some((n + 1, w.page_count()));
                        }
                    }
                    Err(e) => {
                        summary.failed += 1;
                        on_event(Event::Failed(&e));
                    }
                }
                on_event(Event::Progress { done: summary.rows });
            }
        }
        Ok(())
    })?;

    if opts.format == Format::Jsonl {
        warn_unknown(&reader.header.unknown, on_event);
    }
    if !differing.is_empty() {
        on_event(Event::Warning(kept_differ(&differing)));
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

fn kept_differ(rows: &[u64]) -> String {
    const SHOWN: usize = 10;
    let mut list: Vec<String> = rows.iter().take(SHOWN).map(u64::to_string).collect();
    if rows.len() > SHOWN {
        list.push("...".into());
    }
    let list = list.join(", ");
    let what = match rows.len() {
        1 => format!("1 kept handout (row {list}) differs from its pages"),
        n => format!("{n} kept handouts (rows {list}) differ from their pages"),
    };
    format!(
        "{what} in the combined file, which is laid out from this run's data (another date, or \
         edited rows?); --force rewrites the handouts"
    )
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

/// Removes `.pjece-*.tmp` files that a killed run left behind. Only files older than a minute
/// go, so a batch running at the same time into the same directory keeps its own.
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

fn same_dir(file: &Path, dir: &Path) -> bool {
    let parent = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => parent == dir,
    }
}

/// File names claimed so far, in row order.
#[derive(Default)]
struct Claimed {
    names: HashSet<String>,
    /// The combined file, when it lies in the output directory.
    combined: Option<String>,
}

/// Claims a job's file name in row order; a second row wanting the same name fails.
fn claim(job: Job, claimed: &mut Claimed) -> Result<Job, RowError> {
    let key = names::file_key(&job.file);
    let taken = if claimed.combined.as_ref() == Some(&key) {
        "is the combined file (--combined)"
    } else if !claimed.names.insert(key) {
        "is already the file of an earlier row"
    } else {
        return Ok(job);
    };
    Err(RowError {
        row: job.row,
        at: job.at,
        column: Some(Column::File),
        message: format!(
            "'{}' {taken}; give this row its own name in a file column",
            names::shown(&job.file)
        ),
    })
}

/// Lays out, renders and writes one handout.
fn process(
    engine: &Engine,
    opts: &Options,
    stream_fonts: Option<&StreamFonts>,
    job: &Job,
    shaper: &mut layout::Shaper,
) -> Result<(Outcome, Option<ForCombined>), RowError> {
    let fail = |e: Error| {
        let (column, message) = job::describe(&e, &job.choices);
        RowError {
            row: job.row,
            at: job.at,
            column,
            message,
        }
    };
    let path = opts.out_dir.join(&job.file);
    // Messages name the file without the patient's name in it.
    let shown = opts.out_dir.join(names::shown(&job.file));
    let shown = shown.display();
    let row_error = |message: String| RowError {
        row: job.row,
        at: job.at,
        column: None,
        message,
    };
    if path.is_dir() {
        return Err(row_error(format!(
            "{shown} is a directory, where this row's handout should go; move it away, or give \
             this row another name in a file column"
        )));
    }
    let exists = path.symlink_metadata().is_ok();
    if exists && !opts.force && !output::is_complete_pdf(&path).unwrap_or(false) {
        // Keeping it would report a handout that cannot be printed; replacing it unasked could
        // destroy a file that is not ours.
        return Err(row_error(format!(
            "{shown} already exists but is not a complete PDF (cut off by a crash or power cut?); \
             delete it, or run again with --force"
        )));
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
    if opts.check {
        return Ok((
            if exists && !opts.force {
                Outcome::Kept {
                    row: job.row,
                    differs: false,
                }
            } else {
                Outcome::Checked
            },
            None,
        ));
    }
    if exists && !opts.force {
        // The combined file shows this run's handout; say so when the kept one is different
        // (another date, edited data, or not made by pjece).
        let differs = opts.combined.is_some()
            && std::fs::read(&path).ok() != Some(engine.render(&doc).map_err(fail)?);
        let kept = Outcome::Kept {
            row: job.row,
            differs,
        };
        return Ok((kept, keep_doc(doc)));
    }
    let bytes = engine.render(&doc).map_err(fail)?;
    // Durable at the end of the batch (one syncfs), not per file: see `output::Durability`.
    let written = output::write(&path, &bytes, opts.force, output::Durability::Later);
    written.map_err(|e| match e {
        Error::Output { reason, .. } => row_error(format!("cannot write {shown}: {reason}")),
        other => row_error(other.to_string()),
    })?;
    Ok((Outcome::Written, keep_doc(doc)))
}
