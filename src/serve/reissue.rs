//! `POST /reissue`: a handout made by pjece, sent back (a file input, or dropped on the page),
//! fills the form again with its choices and today's date. The record in the PDF is read as
//! any input is: the JSON API's rules, then the library's.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;

use pjece::reissue::{self, ReadError};

use super::form::{FieldError, FormField, Submitted};
use super::form_page::page_with;
use super::messages::field_error;
use super::respond::plain;
use super::state::AppState;
use super::today::today;

/// Largest PDF to re-issue: a handout is 20 to 60 KB; a few MB leaves room for a logo.
pub const REISSUE_LIMIT: usize = 4 * 1024 * 1024;

/// What the page says next to the file input.
fn read_error(e: &ReadError) -> String {
    match e {
        ReadError::NotPdf => "Filen er ikke en PDF. Vælg en pjece, som pjece har lavet.".into(),
        ReadError::Truncated => {
            "PDF-filen er ikke hel – den kan være blevet afbrudt under kopieringen. \
             Vælg filen igen."
                .into()
        }
        ReadError::Damaged => "PDF-filen kan ikke læses. Vælg en anden fil.".into(),
        ReadError::NotMadeByPjece => {
            "Denne PDF er ikke lavet af pjece, så formularen kan ikke udfyldes fra den. \
             Vælg en pjece, som pjece har lavet."
                .into()
        }
        ReadError::NewerVersion(v) => format!(
            "Pjecen er lavet af en nyere udgave af pjece (format {v}). Opdatér programmet, \
             og prøv igen."
        ),
    }
}

fn too_large() -> String {
    format!(
        "Filen er for stor (over {} MB). En pjece fra pjece fylder under 100 kB.",
        REISSUE_LIMIT / (1024 * 1024)
    )
}

pub async fn upload(
    State(state): State<AppState>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut multipart) = multipart else {
        return plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "PDF-filen skal sendes som multipart/form-data.",
        );
    };
    let fresh = || {
        Submitted::fresh(
            pjece::content::Region::Lumbar,
            pjece::content::Variant::Full,
            today(),
        )
    };
    let forbidden = || {
        plain(
            StatusCode::FORBIDDEN,
            "Formularen er for gammel eller kommer ikke fra denne side. Genindlæs siden, og prøv igen.",
        )
    };
    // The token comes first on the page; a file is not read before it is found good.
    let mut token_ok = false;
    let mut file = None;
    // The empty form (what GET / shows) with `message` at the file input.
    let file_error = |message: String, status: StatusCode| {
        page_with(&state, &fresh(), &[], None, Some(message), status)
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            // A body known to be too large fails before the token is read; the answer is the
            // empty form (what GET / shows) with the reason at the file input.
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return file_error(too_large(), StatusCode::PAYLOAD_TOO_LARGE);
            }
            Err(e) => return plain_owned(e.status(), e.body_text()),
        };
        match field.name() {
            Some("csrf") => {
                let token = field.text().await.unwrap_or_default();
                token_ok = state.guard().token_valid(&token);
            }
            Some("pdf") if token_ok => match field.bytes().await {
                Ok(b) => file = Some(b),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return file_error(too_large(), StatusCode::PAYLOAD_TOO_LARGE);
                }
                Err(e) => return plain_owned(e.status(), e.body_text()),
            },
            Some("pdf") => return forbidden(),
            _ => {}
        }
    }
    if !token_ok {
        return forbidden();
    }
    let file = match file {
        Some(f) if !f.is_empty() => f,
        _ => {
            let message = "Vælg en PDF-fil først.".to_string();
            return file_error(message, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let read = state
        .render(move |shared| {
            let record = reissue::read(&file).map_err(|e| read_error(&e))?;
            let choices = match super::api::choices(&record) {
                Ok(c) => c,
                Err(problems) => {
                    let what: Vec<String> = problems
                        .into_iter()
                        .map(|(k, m)| format!("{k}: {m}"))
                        .collect();
                    return Err(format!(
                        "Pjecens gemte valg kan ikke bruges ({}). Udfyld formularen selv.",
                        what.join(" ")
                    ));
                }
            };
            // The library's own check, as for a handout to build: the content may have changed
            // since (an advice id gone), which is then an error at its field.
            let checked = pjece::select::select(
                &shared.engine.content,
                shared.engine.clinic.as_ref(),
                &choices,
            )
            .err()
            .map(|e| field_error(&e));
            let valid = shared.advice_ids(choices.region, choices.variant);
            Ok((choices, checked, valid))
        })
        .await;
    let (choices, checked, valid) = match read {
        Err(r) => return r,
        Ok(Err(message)) => {
            return file_error(message, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Ok(Ok(found)) => found,
    };
    let form = Submitted::from_choices(&choices, today(), valid);
    // The date in words, as the handout prints it (`30. november 2026`), not as the input holds it.
    let notice = format!(
        "Formularen er udfyldt fra pjecen, med dagens dato ({}). Se valgene igennem, og tryk så „Hent PDF“ eller „Udskriv“.",
        pjece::dates::danish_date(today(), &state.0.engine.content.labels.months)
    );
    match checked {
        None => page_with(&state, &form, &[], Some(notice), None, StatusCode::OK),
        Some(error) => {
            let error = error.unwrap_or_else(|| {
                FieldError::at(FormField::Advice, "Pjecens valg passer ikke til indholdet.")
            });
            page_with(
                &state,
                &form,
                &[error],
                Some(notice),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

fn plain_owned(status: StatusCode, text: String) -> Response {
    use axum::response::IntoResponse;
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
