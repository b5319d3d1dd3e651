//! A batch's result: one ZIP in the job's directory, with every handout under the name `pjece
//! batch` gives it, the combined print file when asked for, and a summary CSV.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use pjece::batch::input::{Place, Reader};
use pjece::batch::job;

use super::job::Job;

/// The combined print file's name, in the ZIP as in the batch's output directory.
pub const COMBINED: &str = "samlet.pdf";
/// The summary's name in the ZIP.
pub const SUMMARY: &str = "oversigt.csv";
/// The ZIP's name, in the directory and as downloaded.
pub const ZIP: &str = "pjecer.zip";

/// One row of the summary.
struct Line {
    row: Option<u64>,
    file: String,
    made: bool,
    message: String,
}

/// Writes `pjecer.zip` into `dir` from the batch's output. Each handout is removed from the
/// output once it is in the ZIP, so the directory holds about one copy at a time.
pub fn write_zip(dir: &Path, job: &Job) -> std::io::Result<()> {
    let out = dir.join("out");
    let progress = job.progress();
    let r = &job.request;
    // The rows in order, with the file each asks for (read again: the batch reports failures
    // only). A row reported failed made nothing, whatever file its name would have had.
    let reader = Reader::open(&Job::input(dir, r.format), r.format, r.encoding)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut lines = Vec::new();
    for record in reader {
        let (at, file) = match &record {
            Ok(rec) => (
                rec.at,
                job::job(rec, &r.defaults)
                    .map(|j| j.file)
                    .unwrap_or_default(),
            ),
            Err(e) => (e.at, String::new()),
        };
        let row = match at {
            Place::SheetRow(n) | Place::Line(n) => Some(n),
            Place::Unknown => None,
        };
        let problems: Vec<&str> = progress
            .rows
            .iter()
            .filter(|p| p.row.is_some() && p.row == row)
            .map(|p| p.message.as_str())
            .collect();
        let made = problems.is_empty() && !file.is_empty() && out.join(&file).is_file();
        lines.push(Line {
            row,
            file: if made { file } else { String::new() },
            made,
            message: problems.join(" "),
        });
    }

    let path = dir.join(ZIP);
    let mut zip = ZipWriter::new(BufWriter::new(File::create(&path)?));
    // PDFs are compressed already: stored, they cost no CPU and lose nothing.
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644);
    for line in lines.iter().filter(|l| l.made) {
        let source = out.join(&line.file);
        zip.start_file(line.file.as_str(), stored)?;
        std::io::copy(&mut File::open(&source)?, &mut zip)?;
        std::fs::remove_file(&source)?;
    }
    let combined = out.join(COMBINED);
    if r.combined && combined.is_file() {
        zip.start_file(COMBINED, stored.large_file(true))?;
        std::io::copy(&mut File::open(&combined)?, &mut zip)?;
        std::fs::remove_file(&combined)?;
    }
    zip.start_file(
        SUMMARY,
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
    )?;
    zip.write_all(&summary_csv(&lines))?;
    zip.finish()?.flush()?;
    Ok(())
}

/// The summary as Danish Excel opens it with a double click: UTF-8 with a byte order mark,
/// semicolons, CRLF. Row is the spreadsheet row (or the JSON Lines line).
fn summary_csv(lines: &[Line]) -> Vec<u8> {
    let mut csv = String::from("\u{feff}række;fil;status;besked\r\n");
    for l in lines {
        let row = l.row.map_or(String::new(), |r| r.to_string());
        let status = if l.made { "lavet" } else { "fejl" };
        let fields = [row.as_str(), &l.file, status, &l.message].map(cell);
        csv.push_str(&fields.join(";"));
        csv.push_str("\r\n");
    }
    csv.into_bytes()
}

/// A CSV cell: quoted when it holds a separator, quote or line break; a leading = + - @ is
/// escaped so a spreadsheet never runs a cell as a formula.
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
