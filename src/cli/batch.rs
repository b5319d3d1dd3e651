//! `batch`: progress on a terminal, plain lines in a log, and the summary.

use std::io::Write;

use anyhow::{Context, Result, bail};

use super::args::BatchArgs;
use super::commands::today;
use pjece::content::Variant;

pub fn batch(args: BatchArgs) -> Result<()> {
    use pjece::batch::{self, Event, input::Format};
    use std::io::IsTerminal;

    let format = match args.format {
        Some(format) => format.into(),
        None => Format::from_path(&args.input).with_context(|| {
            format!(
                "{}: cannot tell the format from the extension; use --format csv or --format jsonl",
                args.input.display()
            )
        })?,
    };
    let engine = args.engine.load()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = args
        .jobs
        .map_or(cores.min(batch::DEFAULT_MAX_JOBS), usize::from);
    let opts = batch::Options {
        input: args.input.clone(),
        format,
        encoding: args.encoding.into(),
        out_dir: args.out_dir.clone(),
        defaults: batch::job::Defaults {
            region: args.region,
            variant: if args.short {
                Variant::Short
            } else {
                Variant::Full
            },
            date: match args.date {
                Some(d) => d,
                None => today()?,
            },
        },
        combined: args.combined.clone(),
        duplex: args.duplex,
        check: args.check,
        force: args.force,
        jobs,
        date_given: args.date.is_some(),
        cancel: None,
    };
    let input = args.input.display().to_string();
    let terminal = std::io::stderr().is_terminal();
    // Made once the batch has counted the rows.
    let mut bar = None;
    let mut last_line = std::time::Instant::now();
    let mut on_event = |event: Event| {
        let line = match event {
            Event::Started { rows } => {
                if !args.quiet && terminal {
                    bar = Some(progress_bar(rows));
                }
                return;
            }
            Event::Warning(w) => format!("pjece: {input}: warning: {w}"),
            Event::Failed(e) => format!("pjece: {input}: {e}"),
            Event::Progress { done } => {
                if let Some(bar) = &bar {
                    bar.set_position(done);
                } else if !args.quiet && last_line.elapsed().as_secs() >= 5 {
                    // Not a terminal: a plain line now and then for logs.
                    last_line = std::time::Instant::now();
                    let _ = writeln!(std::io::stderr(), "pjece: {done} rows done");
                }
                return;
            }
        };
        // An unwritable standard error cannot be told about; the exit code still says it.
        let print = || {
            let _ = writeln!(std::io::stderr(), "{line}");
        };
        match &bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    };
    let summary = batch::run(&engine, &opts, &mut on_event)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut printed = Ok(());
    if !args.quiet {
        let dir = args.out_dir.display();
        let mut parts = Vec::new();
        if args.check {
            parts.push(format!(
                "checked {} rows: {} ok",
                summary.rows,
                summary.checked + summary.kept
            ));
            if summary.kept > 0 {
                parts.push(format!(
                    "{} already exist unchanged and would be kept",
                    count(summary.kept, "handout")
                ));
            }
        } else {
            parts.push(format!(
                "wrote {} to {dir}",
                count(summary.written, "handout")
            ));
            if summary.kept > 0 {
                parts.push(format!("kept {} unchanged", summary.kept));
            }
        }
        let mut failed = format!("{} failed", count(summary.failed, "row"));
        match summary.differs {
            0 => {}
            1 => failed.push_str(" (1 differs from its existing file; --force replaces it)"),
            n => failed.push_str(&format!(
                " ({n} differ from their existing files; --force replaces them)"
            )),
        }
        parts.push(failed);
        if summary.leftovers > 0 {
            parts.push(format!(
                "removed {} an interrupted run left",
                count(summary.leftovers, "temporary file")
            ));
        }
        if let (Some(path), Some((n, pages))) = (&args.combined, summary.combined) {
            parts.push(format!(
                "{}, {} in {}",
                count(n, "handout"),
                count(pages as u64, "page"),
                path.display()
            ));
        }
        printed = writeln!(std::io::stdout(), "{}", parts.join("; "));
    }
    // Failed rows decide the exit code even when the summary could not be printed.
    if summary.failed > 0 {
        if let Err(e) = &printed
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            let reason = pjece::error::io_reason(e);
            let _ = writeln!(
                std::io::stderr(),
                "pjece: cannot write to standard output: {reason}"
            );
        }
        bail!(
            "{} of {} rows failed; they are listed above",
            summary.failed,
            summary.rows
        );
    }
    Ok(printed?)
}

fn progress_bar(rows: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(rows);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} rows, {rate} handouts/s, {eta} left",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .with_key(
        "rate",
        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}", state.per_sec());
        },
    );
    bar.set_style(style);
    bar
}

/// "1 handout", "2 handouts".
fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
