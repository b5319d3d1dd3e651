//! The command line, as clap parses it; values are checked as they are parsed.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use jiff::civil::Date;

use pjece::Error;
use pjece::batch::input::{Encoding, Format};
use pjece::content::{Audience, Region};
use pjece::dates;

use super::engine::EngineArgs;

#[derive(Parser)]
#[command(
    name = "pjece",
    version,
    about = "Personalised Danish patient handouts (PDF) from the guideline on nerve-root compression in the low back and neck"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
    /// Serve the handout form on this computer: open the printed address in a browser.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Manage the clinic profile.
    Clinic {
        #[command(subcommand)]
        command: ClinicCommand,
    },
}

#[derive(Subcommand)]
pub enum ClinicCommand {
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
pub struct BuildArgs {
    /// The region: lumbar (lænd) or cervical (nakke).
    #[arg(long, value_parser = parse_region)]
    pub region: Region,
    /// Use the short (PIXI) wording.
    #[arg(long)]
    pub short: bool,
    /// Include only these pieces of advice (comma-separated ids; see `pjece list`).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub advice: Option<Vec<String>>,
    /// Leave out these advice or block ids (comma-separated).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub omit: Vec<String>,
    /// The patient's name, printed in the header.
    #[arg(long, value_name = "NAME")]
    pub patient: Option<String>,
    /// The therapist's name, printed in the header.
    #[arg(long, value_name = "NAME")]
    pub therapist: Option<String>,
    /// The handout's date (default: today; or SOURCE_DATE_EPOCH when set).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// A short personal note from the therapist, printed in its own box.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// A goal for "Dine mål" (repeat for more, at most 6).
    #[arg(long = "goal", value_name = "TEXT")]
    pub goals: Vec<String>,
    /// Empty lines in "Dine mål" for goals written by hand.
    #[arg(long)]
    pub blank_goals: bool,
    /// A step of the progression ladder, lowest first (repeat for more, at most 6).
    #[arg(long = "step", value_name = "TEXT")]
    pub steps: Vec<String>,
    /// An empty progression ladder (5 steps) to fill in by hand.
    #[arg(long)]
    pub ladder: bool,
    /// The next appointment, e.g. "2026-12-03 10:30".
    #[arg(long, value_name = "DATE TIME", value_parser = parse_next)]
    pub next: Option<jiff::civil::DateTime>,
    /// A web address for a QR code (default: the clinic profile's qr_url).
    #[arg(long, value_name = "URL")]
    pub qr: Option<String>,
    /// No QR code, even when the clinic profile has a qr_url.
    #[arg(long, conflicts_with = "qr")]
    pub no_qr: bool,
    /// Large print: 18 pt body text.
    #[arg(long)]
    pub large_print: bool,
    /// Who the document is for.
    #[arg(long, value_enum, default_value_t = AudienceArg::Patient)]
    pub audience: AudienceArg,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// The PDF file to write, or - for standard output.
    #[arg(short, long, value_name = "FILE.pdf")]
    pub output: PathBuf,
}

/// `pjece serve`.
#[cfg(feature = "serve")]
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// A loopback address to listen on instead of both 127.0.0.1 and ::1. Other addresses are
    /// refused: put a reverse proxy with its own log-in and TLS in front (docs/serve.md).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::IpAddr>,
    #[command(flatten)]
    pub engine: crate::cli::engine::EngineArgs,
}

#[derive(clap::Args)]
pub struct BatchArgs {
    /// The CSV (comma or semicolon separated, header row) or JSON Lines file.
    pub input: PathBuf,
    /// Where the handouts are written (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// The input format (default: from the extension; .csv or .jsonl).
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
    /// The input encoding. A file in another one is refused with a hint naming the encoding its
    /// letters show.
    #[arg(long, value_enum, default_value_t = InputEncoding::Utf8)]
    pub encoding: InputEncoding,
    /// The region for rows without a region value.
    #[arg(long, value_parser = parse_region)]
    pub region: Option<Region>,
    /// Use the short (PIXI) wording for rows without a variant value.
    #[arg(long)]
    pub short: bool,
    /// The date for rows without a date value (default: today; or SOURCE_DATE_EPOCH).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Also write every handout, in row order, into this one PDF for printing (replaced on every run).
    #[arg(long, value_name = "FILE.pdf")]
    pub combined: Option<PathBuf>,
    /// In the combined PDF, pad each handout to an even page count (double-sided printing).
    #[arg(long, requires = "combined")]
    pub duplex: bool,
    /// Validate every row and report all problems; write nothing.
    #[arg(long)]
    pub check: bool,
    /// Replace handouts that already exist (default: keep them, so a rerun finishes the job).
    #[arg(long)]
    pub force: bool,
    /// Worker threads, 1 to 256 (default: the number of cores, at most 4, which keeps memory
    /// under 100 MB; never more than rows).
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..=pjece::batch::MAX_JOBS as i64)
    )]
    pub jobs: Option<u16>,
    /// No progress and no summary; problems are still reported.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub engine: EngineArgs,
}

/// The documents `pjece build` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AudienceArg {
    /// The patient handout.
    Patient,
    /// The conversation guide with the therapist's text.
    Therapist,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Patient => Audience::Patient,
            AudienceArg::Therapist => Audience::Therapist,
        }
    }
}

/// The formats `pjece batch` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Comma- or semicolon-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Csv => Format::Csv,
            InputFormat::Jsonl => Format::Jsonl,
        }
    }
}

/// The encodings `pjece batch` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InputEncoding {
    /// UTF-8, what Excel's 'CSV UTF-8' writes.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// Excel for Windows' older 'CSV (semikolonsepareret)'.
    #[value(name = "windows-1252", alias = "cp1252")]
    Windows1252,
    /// Mac Roman: Excel for Mac's plain 'CSV'.
    #[value(name = "macintosh", alias = "mac-roman", alias = "macroman")]
    Macintosh,
    /// DOS Latin-1: DOS programs and older patient systems.
    #[value(name = "cp850", alias = "ibm850")]
    Cp850,
}

impl From<InputEncoding> for Encoding {
    fn from(e: InputEncoding) -> Encoding {
        match e {
            InputEncoding::Utf8 => Encoding::Utf8,
            InputEncoding::Windows1252 => Encoding::Windows1252,
            InputEncoding::Macintosh => Encoding::Macintosh,
            InputEncoding::Cp850 => Encoding::Cp850,
        }
    }
}

pub fn parse_region(s: &str) -> Result<Region, String> {
    Region::parse(s).ok_or_else(|| Error::UnknownRegion(s.to_string()).to_string())
}

pub fn parse_next(s: &str) -> Result<jiff::civil::DateTime, String> {
    dates::parse_appointment(s).ok_or_else(|| format!("'{s}' {}", dates::APPOINTMENT_FORMATS))
}

pub fn parse_date(s: &str) -> Result<Date, String> {
    dates::parse_date(s).ok_or_else(|| format!("'{s}' {}", dates::DATE_FORMATS))
}
