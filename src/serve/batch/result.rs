//! A batch's result, the ZIP that [`super::archive`] wrote, streamed to the browser in pieces
//! and removed with the directory once it is all sent.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::io::AsyncReadExt;

use super::archive::ZIP;
use super::job::Job;
use super::jobs::Batches;

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
