//! The form page's handlers: the page, its checklist, the PDF from the form, and the preview.

// A handler's early answer is a `Response`, as axum's own extractors return; boxing it would
// only add an allocation to every refusal.
#![allow(clippy::result_large_err)]

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use pjece::content::{Region, Variant};
use pjece::select::Choices;

use super::form::{FieldError, Submitted};
use super::messages::field_error;
use super::page::Page;
use super::respond::{internal, pdf, plain};
use super::state::AppState;
use super::today::today;

#[derive(Deserialize)]
pub struct ListQuery {
    region: Option<String>,
    variant: Option<String>,
}

impl ListQuery {
    fn form(&self) -> Submitted {
        let mut form = Submitted::fresh(Region::Lumbar, Variant::Full, today());
        if let Some(r) = self.region.as_deref().and_then(Region::parse) {
            form.region = Some(r.name().into());
        }
        if self.variant.as_deref() == Some("short") {
            form.variant = Some("short".into());
        }
        form
    }
}

pub async fn form_page(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    page(&state, &q.form(), &[], StatusCode::OK)
}

/// The checklist alone, for the script to swap in when the region or variant changes.
pub async fn advice_list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    let form = q.form();
    let (region, variant) = (
        form.region().unwrap_or(Region::Lumbar),
        form.variant().unwrap_or(Variant::Full),
    );
    let page = Page {
        content: &state.0.engine.content,
        clinic: state.0.engine.clinic.as_ref(),
        form: &form,
        errors: &[],
        csrf: String::new(),
        notice: None,
        file_error: None,
    };
    Html(page.advice_list(region, variant).into_string()).into_response()
}

fn page(state: &AppState, form: &Submitted, errors: &[FieldError], status: StatusCode) -> Response {
    page_with(state, form, errors, None, None, status)
}

/// The page with a notice above the form, or an error at the file input of a re-issue.
pub fn page_with(
    state: &AppState,
    form: &Submitted,
    errors: &[FieldError],
    notice: Option<String>,
    file_error: Option<String>,
    status: StatusCode,
) -> Response {
    let page = Page {
        content: &state.0.engine.content,
        clinic: state.0.engine.clinic.as_ref(),
        form,
        errors,
        csrf: state.guard().token(),
        notice,
        file_error,
    };
    (status, Html(page.render().into_string())).into_response()
}

/// Reads a form POST: its type must be a form's and its token this server's.
fn read_form(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Submitted, Response> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Formularen skal sendes som application/x-www-form-urlencoded.",
        ));
    }
    let form = Submitted::parse(body);
    if !state.guard().token_valid(&form.csrf) {
        return Err(plain(
            StatusCode::FORBIDDEN,
            "Formularen er for gammel eller kommer ikke fra denne side. Genindlæs siden, og prøv igen.",
        ));
    }
    Ok(form)
}

/// The choices a form asks for, or its errors (the form's own, then the library's).
fn checked(state: &AppState, form: &Submitted) -> Result<Choices, Vec<FieldError>> {
    let shared = state.0.clone();
    form.choices(today(), move |r, v| shared.advice_ids(r, v))
}

pub async fn handout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = match read_form(&state, &headers, &body) {
        Ok(f) => f,
        Err(r) => return r,
    };
    if form.action == "refresh" {
        return page(&state, &form, &[], StatusCode::OK);
    }
    let choices = match checked(&state, &form) {
        Ok(c) => c,
        Err(errors) => return page(&state, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let built = {
        let choices = choices.clone();
        state.render(move |s| s.pdf(&choices)).await
    };
    match built {
        Err(r) => r,
        Ok(Ok(bytes)) => pdf(bytes, &choices, form.action != "print"),
        Ok(Err(e)) => match field_error(&e) {
            Some(error) => page(&state, &form, &[error], StatusCode::UNPROCESSABLE_ENTITY),
            None => internal(&e),
        },
    }
}

/// The pages as SVG, or the errors at their fields, as JSON for the page's script.
pub async fn preview(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form = match read_form(&state, &headers, &body) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let errors = |errors: &[FieldError]| {
        let list: Vec<Value> = errors
            .iter()
            .map(|e| json!({"field": e.field.map(|f| f.id()), "message": e.message}))
            .collect();
        axum::Json(json!({"pages": [], "errors": list})).into_response()
    };
    let choices = match checked(&state, &form) {
        Ok(c) => c,
        Err(e) => return errors(&e),
    };
    match state.render(move |s| s.pages(&choices)).await {
        Err(r) => r,
        Ok(Ok(pages)) => axum::Json(json!({"pages": pages, "errors": []})).into_response(),
        Ok(Err(e)) => match field_error(&e) {
            Some(error) => errors(&[error]),
            None => internal(&e),
        },
    }
}
