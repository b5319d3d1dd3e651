//! Answers every handler gives alike: a PDF, a plain-text refusal, a server-side failure.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use pjece::Error;
use pjece::content::{Audience, Region};
use pjece::select::Choices;

/// A PDF answer: a download, or shown in the browser's viewer to print.
pub fn pdf(bytes: Vec<u8>, choices: &Choices, download: bool) -> Response {
    let disposition = format!(
        "{}; filename=\"{}\"",
        if download { "attachment" } else { "inline" },
        file_name(choices)
    );
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        )],
        bytes,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// `pjece-laend-2026-12-03.pdf`: ASCII, and nothing of the patient's.
pub fn file_name(choices: &Choices) -> String {
    let region = match choices.region {
        Region::Lumbar => "laend",
        Region::Cervical => "nakke",
    };
    let kind = match choices.audience {
        Audience::Patient => "pjece",
        Audience::Therapist => "samtaleguide",
    };
    format!("{kind}-{region}-{}.pdf", choices.date)
}

pub fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

pub fn server_error() -> Response {
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Pjecen kunne ikke laves på grund af en fejl i programmet.",
    )
}

/// A server-side failure: its cause goes to the log (it names content or fonts, never
/// choices), the answer says only that it failed.
pub fn internal(error: &Error) -> Response {
    eprintln!("pjece serve: {error}");
    server_error()
}
