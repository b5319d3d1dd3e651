//! The `pjece` binary: parses arguments, runs the command, prints errors as
//! `pjece: <what and where>` with an optional `hint:` line.
//!
//! Exit codes: 0 success, 1 an error (bad input, content, output, or a failed batch row),
//! 2 a usage error (clap). A reader that stops early (`| head`) is a quiet success; a standard
//! output that was closed before pjece started (`>&-`) is an error for `build -o -`.

mod cli;
#[cfg(feature = "serve")]
mod serve;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, ClinicCommand, Command};
use cli::batch::batch;
use cli::commands::{build, check, clinic_init, list};
use cli::engine::load_content;
use pjece::Error;

// Handouts allocate and free many buffers of all sizes (layouts, streams, fonts); glibc's allocator
// keeps such memory fragmented per thread, and a 10,000-row batch grew past 300 MB. With
// mimalloc it stays flat (about 25 MB) and runs a little faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to standard output, which may be full too.
            if let Err(io) = e.print()
                && !e.use_stderr()
            {
                return report(&io.into());
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(&err),
    }
}

/// Prints an error as `pjece: ...` (and a hint) and chooses the exit code.
fn report(err: &anyhow::Error) -> ExitCode {
    // A closed pipe (`pjece list | head -1`) means the reader has what it wants: stop quietly,
    // with success, as ripgrep and most Unix tools do.
    if err
        .chain()
        .any(|e| io(e).is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
    {
        return ExitCode::SUCCESS;
    }
    // Commands print with `writeln!`; an I/O error without context can only be standard output
    // (every file error names its file).
    let mut message = match io(err.as_ref()) {
        Some(_) => "cannot write to standard output".to_string(),
        None => String::new(),
    };
    for cause in err.chain() {
        let text = match (io(cause), cause.downcast_ref::<Error>()) {
            (Some(io), _) => pjece::error::io_reason(io),
            (None, Some(error)) => cli::messages::message(error),
            (None, None) => cause.to_string(),
        };
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    // Standard error may be unwritable too (`2>/dev/full`); the exit code still tells.
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "pjece: {message}");
    if let Some(hint) = hint(err) {
        let _ = writeln!(stderr, "hint: {hint}");
    }
    ExitCode::FAILURE
}

fn io<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    e.downcast_ref()
}

fn hint(err: &anyhow::Error) -> Option<String> {
    match err.downcast_ref::<Error>()? {
        Error::UnknownId { .. } => {
            Some("'pjece list --region <region>' shows every id with its first words".into())
        }
        Error::InvalidContent(_) => Some("content/README.md describes the schema".into()),
        Error::InvalidClinic(_) => {
            Some("'pjece clinic init -o FILE' writes a commented example profile".into())
        }
        Error::OutputExists { .. } => Some("use --force to replace it".into()),
        Error::DoesNotFit { .. } | Error::FieldTooLong { .. } => {
            Some("shorten the text; the README lists the field limits".into())
        }
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
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    }
}
