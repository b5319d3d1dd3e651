//! The `pjece` binary: parses arguments, runs the command, prints errors as
//! `pjece: <what and where>` with an optional `hint:` line.
//!
//! Exit codes: 0 success, 1 an error (bad input, content, output, or a failed batch row),
//! 2 a usage error (clap).

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, ClinicCommand, Command};
use cli::batch::batch;
use cli::commands::{build, check, clinic_init, list, load_content};
use pjece::Error;

// Every handout allocates and frees zlib states of ~330 KB (krilla, lopdf); glibc's allocator
// keeps such memory fragmented per thread, and a 10,000-row batch grew past 300 MB. With
// mimalloc it stays flat (about 25 MB) and runs a little faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn run(cli: Cli) -> anyhow::Result<()> {
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
