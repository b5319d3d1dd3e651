//! The `pjece` binary: parses arguments, resolves them against the library, prints errors.
//!
//! Exit codes: 0 success, 1 an error (bad input, content, output), 2 a usage error (clap).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use jiff::civil::Date;

use pjece::content::{Audience, BlockKind, Content, Element, Region, Variant, markup};
use pjece::fonts::FontSet;
use pjece::layout::Style;
use pjece::select::{self, Choices};
use pjece::{Engine, Error, output};

#[derive(Parser)]
#[command(
    name = "pjece",
    version,
    about = "Personalised Danish patient handouts (PDF) from the guideline on nerve-root compression in the low back and neck"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build one handout as an accessible A4 PDF.
    Build(BuildArgs),
    /// List the blocks and advice ids that can be chosen or left out.
    List {
        /// Only this region: lumbar (lænd) or cervical (nakke).
        #[arg(long, value_parser = parse_region)]
        region: Option<Region>,
        /// The ids of the short (PIXI) version.
        #[arg(long)]
        short: bool,
        /// Use a content directory instead of the embedded content.
        #[arg(long, value_name = "DIR")]
        content: Option<PathBuf>,
    },
    /// Make one handout per row of a CSV or JSON Lines file (a spreadsheet export).
    Batch(BatchArgs),
    /// Validate a content directory (or the embedded content) and report every problem.
    Check {
        /// The content directory to check.
        #[arg(long, value_name = "DIR")]
        content: Option<PathBuf>,
        /// Also check this clinic profile.
        #[arg(long, value_name = "FILE")]
        clinic: Option<PathBuf>,
    },
    /// Manage the clinic profile.
    Clinic {
        #[command(subcommand)]
        command: ClinicCommand,
    },
}

#[derive(Subcommand)]
enum ClinicCommand {
    /// Write a commented starting profile to edit.
    Init {
        /// Where to write it (default: $XDG_CONFIG_HOME/pjece/clinic.json).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The region: lumbar (lænd) or cervical (nakke).
    #[arg(long, value_parser = parse_region)]
    region: Region,
    /// Use the short (PIXI) wording.
    #[arg(long)]
    short: bool,
    /// Include only these pieces of advice (comma-separated ids; see `pjece list`).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    advice: Option<Vec<String>>,
    /// Leave out these advice or block ids (comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    omit: Vec<String>,
    /// The patient's name, printed in the header.
    #[arg(long, value_name = "NAME")]
    patient: Option<String>,
    /// The therapist's name, printed in the header.
    #[arg(long, value_name = "NAME")]
    therapist: Option<String>,
    /// The handout's date (default: today; or SOURCE_DATE_EPOCH when set).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
    /// A short personal note from the therapist, printed in its own box.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// Use a content directory instead of the embedded content.
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
    /// A goal for "Dine mål" (repeat for more, at most 6).
    #[arg(long = "goal", value_name = "TEXT")]
    goals: Vec<String>,
    /// Empty lines in "Dine mål" for goals written by hand.
    #[arg(long)]
    blank_goals: bool,
    /// A step of the progression ladder, lowest first (repeat for more, at most 6).
    #[arg(long = "step", value_name = "TEXT")]
    steps: Vec<String>,
    /// An empty progression ladder (5 steps) to fill in by hand.
    #[arg(long)]
    ladder: bool,
    /// The next appointment, e.g. "2026-12-03 10:30".
    #[arg(long, value_name = "DATE TIME", value_parser = parse_next)]
    next: Option<jiff::civil::DateTime>,
    /// A web address for a QR code (default: the clinic profile's qr_url).
    #[arg(long, value_name = "URL")]
    qr: Option<String>,
    /// Large print: 16 pt body text.
    #[arg(long)]
    large_print: bool,
    /// patient (the handout) or therapist (the conversation guide with the therapist's text).
    #[arg(long, default_value = "patient", value_parser = ["patient", "therapist"])]
    audience: String,
    #[command(flatten)]
    clinic: ClinicArgs,
    #[command(flatten)]
    fonts: FontArgs,
    /// The PDF file to write, or - for standard output.
    #[arg(short, long, value_name = "FILE.pdf")]
    output: PathBuf,
}

#[derive(clap::Args)]
struct FontArgs {
    /// Use the fonts regular.ttf and bold.ttf from this directory instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    fonts: Option<PathBuf>,
}

impl FontArgs {
    fn load(&self) -> Result<FontSet, Error> {
        match &self.fonts {
            Some(dir) => FontSet::load_dir(dir),
            None => Ok(FontSet::embedded()),
        }
    }
}

#[derive(clap::Args)]
struct ClinicArgs {
    /// A clinic profile (JSON; default: $XDG_CONFIG_HOME/pjece/clinic.json when it exists).
    #[arg(long, value_name = "FILE")]
    clinic: Option<PathBuf>,
    /// Ignore the default clinic profile.
    #[arg(long, conflicts_with = "clinic")]
    no_clinic: bool,
}

impl ClinicArgs {
    /// The profile to use: the one given, else the default one unless switched off.
    fn load(&self, content: &Content) -> Result<Option<pjece::clinic::Clinic>, Error> {
        let path = match (&self.clinic, self.no_clinic) {
            (Some(p), _) => Some(p.clone()),
            (None, false) => pjece::clinic::default_path(),
            (None, true) => None,
        };
        path.map(|p| pjece::clinic::load(&p, content)).transpose()
    }
}

#[derive(clap::Args)]
struct BatchArgs {
    /// The CSV (comma or semicolon separated, header row) or JSON Lines file.
    input: PathBuf,
    /// Where the handouts are written (created if missing).
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// The input format (default: from the extension; .csv or .jsonl).
    #[arg(long, value_parser = ["csv", "jsonl"])]
    format: Option<String>,
    /// The input encoding: utf-8 (default), or windows-1252 for Excel's older CSV.
    #[arg(long, default_value = "utf-8", value_parser = ["utf-8", "windows-1252"])]
    encoding: String,
    /// The region for rows without a region value.
    #[arg(long, value_parser = parse_region)]
    region: Option<Region>,
    /// Use the short (PIXI) wording for rows without a variant value.
    #[arg(long)]
    short: bool,
    /// The date for rows without a date value (default: today; or SOURCE_DATE_EPOCH).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<Date>,
    /// Also write every handout, in row order, into this one PDF for printing.
    #[arg(long, value_name = "FILE.pdf")]
    combined: Option<PathBuf>,
    /// In the combined PDF, pad each handout to an even page count (double-sided printing).
    #[arg(long, requires = "combined")]
    duplex: bool,
    /// Validate every row and report all problems; write nothing.
    #[arg(long)]
    check: bool,
    /// Replace handouts that already exist (default: keep them, so a rerun finishes the job).
    #[arg(long)]
    force: bool,
    /// Worker threads (default: the number of cores plus one).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress and no summary; problems are still reported.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    clinic: ClinicArgs,
    #[command(flatten)]
    fonts: FontArgs,
    /// Use a content directory instead of the embedded content.
    #[arg(long, value_name = "DIR")]
    content: Option<PathBuf>,
}

// Every handout allocates and frees zlib states of ~330 KB (krilla, lopdf); glibc's allocator
// keeps such memory fragmented per thread, and a 10,000-row batch grew past 300 MB. With
// mimalloc it stays flat (about 25 MB) and runs a little faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn parse_region(s: &str) -> Result<Region, String> {
    Region::parse(s).ok_or_else(|| Error::UnknownRegion(s.to_string()).to_string())
}

fn parse_next(s: &str) -> Result<jiff::civil::DateTime, String> {
    pjece::select::parse_appointment(s).ok_or_else(|| {
        format!("'{s}' is not a date and time; use YYYY-MM-DD HH:MM, e.g. \"2026-12-03 10:30\"")
    })
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|_| format!("'{s}' is not a date; use YYYY-MM-DD, e.g. 2026-12-03"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (e.g. `pjece build -o - | head`) is not an error worth reporting.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("pjece: {err:#}");
            if let Some(hint) = hint(&err) {
                eprintln!("hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}

fn hint(err: &anyhow::Error) -> Option<String> {
    match err.downcast_ref::<Error>()? {
        Error::UnknownId { .. } => Some("'pjece list --region <region>' shows every id with its first words".into()),
        Error::InvalidContent(_) => Some("'pjece check --content DIR' lists every problem; content/README.md describes the schema".into()),
        Error::InvalidClinic(_) => Some("'pjece clinic init -o FILE' writes a commented example profile".into()),
        Error::Output { reason, .. } if reason.starts_with("already exists") => Some("use --force to replace it".into()),
        Error::DoesNotFit { .. } | Error::FieldTooLong { .. } => Some("shorten the text; the README lists the field limits".into()),
        _ => None,
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build(args) => build(args),
        Command::List {
            region,
            short,
            content,
        } => list(&load_content(content.as_deref())?, region, short),
        Command::Check { content, clinic } => check(content.as_deref(), clinic.as_deref()),
        Command::Clinic {
            command: ClinicCommand::Init { output, force },
        } => clinic_init(output, force),
        Command::Batch(args) => batch(args),
    }
}

fn load_content(dir: Option<&Path>) -> Result<Content, Error> {
    match dir {
        Some(dir) => Content::load_dir(dir),
        None => Content::embedded(),
    }
}

fn today() -> Result<Date> {
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds"))?;
        let ts = jiff::Timestamp::from_second(secs)
            .with_context(|| format!("SOURCE_DATE_EPOCH '{epoch}' is out of range"))?;
        return Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    Ok(jiff::ZonedDateTime::now().date())
}

fn build(args: BuildArgs) -> Result<()> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout
        && args
            .output
            .extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case("pdf"))
    {
        bail!(
            "{}: the output file should end in .pdf",
            args.output.display()
        );
    }
    let content = load_content(args.content.as_deref())?;
    let clinic = args.clinic.load(&content)?;
    let engine = Engine::new(content, args.fonts.load()?, Style::standard())?.with_clinic(clinic);
    let mut choices = Choices::new(
        args.region,
        match args.date {
            Some(d) => d,
            None => today()?,
        },
    );
    choices.variant = if args.short {
        Variant::Short
    } else {
        Variant::Full
    };
    choices.advice = args.advice.map(|ids| clean_ids(&ids));
    choices.omit = clean_ids(&args.omit);
    choices.patient = args.patient;
    choices.therapist = args.therapist;
    choices.note = args.note;
    choices.goals = args.goals;
    choices.blank_goals = args.blank_goals;
    choices.steps = args.steps;
    choices.ladder = args.ladder;
    choices.next = args.next;
    choices.qr_url = args.qr;
    choices.large_print = args.large_print;
    choices.audience = if args.audience == "therapist" {
        Audience::Therapist
    } else {
        Audience::Patient
    };
    let mut shaper = engine.shaper()?;
    let bytes = engine.build(&choices, &mut shaper)?;
    if to_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)
            .and_then(|_| out.flush())
            .context("cannot write to standard output")?;
    } else {
        output::write_atomic(&args.output, &bytes)?;
    }
    Ok(())
}

fn clean_ids(ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn first_words(s: &str, n: usize) -> String {
    let plain = markup::plain(s);
    let words: Vec<&str> = plain.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

fn list(content: &Content, region: Option<Region>, short: bool) -> Result<()> {
    let variant = if short { Variant::Short } else { Variant::Full };
    let mut out = std::io::stdout().lock();
    let regions = region.map_or(Region::ALL.to_vec(), |r| vec![r]);
    for (i, region) in regions.into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let version = if short {
            "short version"
        } else {
            "full version"
        };
        writeln!(out, "{region} ({}), {version}:", region.danish_name())?;
        let advice = select::advice_ids(content, region, variant);
        for block in content
            .patient_blocks(region)
            .filter(|b| b.variants.contains(&variant))
        {
            let note = if block.kind == BlockKind::RedFlags {
                "  [always included]"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:<30} {}{note}",
                block.id,
                markup::plain(block.heading.get(region, variant))
            )?;
            for element in &block.body {
                let Element::Advice(l) = element else {
                    continue;
                };
                for item in &l.items {
                    let Some(id) = item.id.as_deref().filter(|id| advice.contains(id)) else {
                        continue;
                    };
                    writeln!(
                        out,
                        "    {:<28} {}",
                        id,
                        first_words(item.text.get(region, variant), 7)
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn clinic_init(output: Option<PathBuf>, force: bool) -> Result<()> {
    let path = match output {
        Some(p) => p,
        None => {
            let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
                Some(dir) => PathBuf::from(dir),
                None => PathBuf::from(
                    std::env::var_os("HOME")
                        .context("neither XDG_CONFIG_HOME nor HOME is set; give a file with -o")?,
                )
                .join(".config"),
            };
            let dir = base.join("pjece");
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.join("clinic.json")
        }
    };
    let bytes = pjece::clinic::TEMPLATE.as_bytes();
    if force {
        output::write_atomic(&path, bytes)?
    } else {
        output::write_new(&path, bytes)?
    }
    println!(
        "wrote {}; edit it, then check it with: pjece check --clinic {}",
        path.display(),
        path.display()
    );
    Ok(())
}

fn check(dir: Option<&Path>, clinic: Option<&Path>) -> Result<()> {
    let content = load_content(dir)?;
    if let Some(path) = clinic {
        let profile = pjece::clinic::load(path, &content)?;
        let region = profile.region.as_ref().map_or(
            "no region (the red-flag box keeps the guideline's wording)".to_string(),
            |r| format!("{}: {}", r.name, r.call),
        );
        println!(
            "{}: ok: {}; {region}",
            path.display(),
            profile.name.as_deref().unwrap_or("(no name)")
        );
    }
    let fonts = FontSet::embedded();
    let problems = content.check_glyphs(&|weight, text| fonts.first_missing(weight, text));
    if !problems.is_empty() {
        return Err(Error::InvalidContent(problems).into());
    }
    let g = &content.guideline;
    let advice = g
        .blocks
        .iter()
        .filter(|b| b.audience == Audience::Patient)
        .flat_map(|b| &b.body)
        .filter_map(|e| match e {
            Element::Advice(l) => Some(l.items.len()),
            _ => None,
        })
        .sum::<usize>();
    println!(
        "{}: ok: {} blocks, {advice} pieces of advice, content version {} ({})",
        content.origin,
        g.blocks.len(),
        g.meta.content_version,
        g.meta.content_date
    );
    Ok(())
}

fn batch(args: BatchArgs) -> Result<()> {
    use pjece::batch::{self, Event, input::Encoding, input::Format};
    use std::io::IsTerminal;

    let format = match args.format.as_deref() {
        Some("jsonl") => Format::Jsonl,
        Some(_) => Format::Csv,
        None => Format::from_path(&args.input).with_context(|| {
            format!(
                "{}: cannot tell the format from the extension; use --format csv or --format jsonl",
                args.input.display()
            )
        })?,
    };
    let content = load_content(args.content.as_deref())?;
    let clinic = args.clinic.load(&content)?;
    let engine = Engine::new(content, args.fonts.load()?, Style::standard())?.with_clinic(clinic);
    let opts = batch::Options {
        input: args.input.clone(),
        format,
        encoding: if args.encoding == "windows-1252" {
            Encoding::Windows1252
        } else {
            Encoding::Utf8
        },
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
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    };
    let input = args.input.display().to_string();
    let terminal = std::io::stderr().is_terminal();
    let bar = (!args.quiet && terminal).then(|| {
        let total = batch::input::count_rows(&args.input, format).unwrap_or(0);
        let bar = indicatif::ProgressBar::new(total);
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
    });
    let mut last_line = std::time::Instant::now();
    let mut on_event = |event: Event| {
        let line = match event {
            Event::Warning(w) => format!("pjece: {input}: warning: {w}"),
            Event::Failed(e) => format!("pjece: {input}: {e}"),
            Event::Progress { done } => {
                if let Some(bar) = &bar {
                    bar.set_position(done);
                } else if !args.quiet && last_line.elapsed().as_secs() >= 5 {
                    // Not a terminal: a plain line now and then for logs.
                    last_line = std::time::Instant::now();
                    eprintln!("pjece: {done} rows done");
                }
                return;
            }
        };
        match &bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    };
    let summary = batch::run(&engine, &opts, &mut on_event)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
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
                    "{} handouts already exist and would be kept",
                    summary.kept
                ));
            }
        } else {
            parts.push(format!("wrote {} handouts to {dir}", summary.written));
            if summary.kept > 0 {
                parts.push(format!(
                    "kept {} that already existed (--force replaces them)",
                    summary.kept
                ));
            }
        }
        parts.push(format!(
            "{} row{} failed",
            summary.failed,
            if summary.failed == 1 { "" } else { "s" }
        ));
        if summary.leftovers > 0 {
            parts.push(format!(
                "removed {} temporary files an interrupted run left",
                summary.leftovers
            ));
        }
        if let (Some(path), Some((n, pages))) = (&args.combined, summary.combined) {
            parts.push(format!("{n} handouts, {pages} pages in {}", path.display()));
        }
        println!("{}", parts.join("; "));
    }
    if summary.failed > 0 {
        bail!(
            "{} of {} rows failed; they are listed above",
            summary.failed,
            summary.rows
        );
    }
    Ok(())
}
