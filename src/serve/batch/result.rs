//! A batch's result: one ZIP in the job's directory (every handout under the name `pjece
//! batch` gives it, the combined print file when asked for, and a summary CSV), streamed to
//! the browser in pieces and removed with the directory once it is all sent.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use pjece::batch::input::{Place, Reader};
use pjece::batch::job;

use super::jobs::{Batches, Job};

/// The combined print file's name, in the ZIP as in the batch's output directory.
pub const COMBINED: &str = "samlet.pdf";
/// The summary's name in the ZIP.
pub const SUMMARY: &str = "oversigt.csv";
const ZIP: &str = "pjecer.zip";

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

/// Removes the batch once the last byte is sent; an interrupted download leaves it for
/// another try (until the time limit).
struct Sent {
    batches: Arc<Batches>,
    job: Arc<Job>,
    complete: bool,
}

impl Sent {
    fn finish(&mut self) {
        self.complete = true;
    }
}

impl Drop for Sent {
    fn drop(&mut self) {
        if self.complete {
            self.batches.remove(&self.job);
        }
    }
}

/// The ZIP as a download, read from disk in pieces.
pub async fn download(batches: Arc<Batches>, job: Arc<Job>) -> Option<Response> {
    let path = job.dir()?.join(ZIP);
    let file = tokio::fs::File::open(&path).await.ok()?;
    let len = file.metadata().await.ok()?.len();
    let sent = Sent {
        batches,
        job,
        complete: false,
    };
    // Complete when the last byte is handed over: with its length known, the server may not
    // ask the stream for its end.
    let stream = futures_util::stream::unfold(
        (file, sent, 0u64),
        move |(mut file, mut sent, mut given)| async move {
            let mut buf = vec![0u8; 256 * 1024];
            match file.read(&mut buf).await {
                Ok(0) => {
                    sent.finish();
                    None
                }
                Ok(n) => {
                    buf.truncate(n);
                    given += n as u64;
                    if given >= len {
                        sent.finish();
                    }
                    Some((Ok(Bytes::from(buf)), (file, sent, given)))
                }
                Err(e) => Some((Err(e), (file, sent, given))),
            }
        },
    );
    Some(
        (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (header::CONTENT_LENGTH, len.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{ZIP}\""),
                ),
            ],
            Body::from_stream(stream),
        )
            .into_response(),
    )
}
