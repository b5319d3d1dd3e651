//! The router and its handlers: the form page, the PDF from the form, the preview, and the
//! JSON API. Renders run on blocking threads, a few at a time.

// A handler's early answer is a `Response`, as axum's own extractors return; boxing it would
// only add an allocation to every refusal.
#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutLayer;

use pjece::content::{Audience, Region, Variant};
use pjece::layout::Shaper;
use pjece::select::{self, Choices};
use pjece::svg::Preview;
use pjece::{Engine, Error};

use super::form::{FieldError, Submitted};
use super::messages::field_error;
use super::page::Page;
use super::reissue::{self, REISSUE_LIMIT};
use super::security::{self, Guard};
use super::{api, assets};

/// Largest form body: a form holds a few kilobytes of text.
pub const FORM_LIMIT: usize = 256 * 1024;
/// Longest a request may take, waiting for a render included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState(pub(super) Arc<Shared>);

pub struct Shared {
    /// Lives as long as the server: the warm shapers below borrow its fonts.
    pub engine: &'static Engine,
    preview: Preview,
    renders: Semaphore,
    /// The threads that render, one a core and always the same ones: tokio's blocking pool
    /// would start new threads under load, each with its own allocator caches, and memory
    /// would creep up (docs/performance.md, "Web server").
    pool: rayon::ThreadPool,
    guard: Guard,
    /// Shapers kept warm between requests, at most one per render slot: a fresh one shapes
    /// every word again (a full handout 4.6 ms instead of 2.8 ms, docs/performance.md). Their
    /// word caches are bounded.
    shapers: Mutex<Vec<Shaper<'static>>>,
}

impl AppState {
    /// State for a server whose `Host` must name `port`.
    pub fn new(engine: Engine, port: u16) -> anyhow::Result<AppState> {
        let preview = Preview::new(&engine.fonts)?;
        let engine: &'static Engine = Box::leak(Box::new(engine));
        // One render a core keeps answers quick under load; the rest wait their turn.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .thread_name(|i| format!("pjece-render-{i}"))
            // A render that panics answers 500 (its channel closes); the server goes on.
            .panic_handler(|_| {})
            .build()?;
        Ok(AppState(Arc::new(Shared {
            engine,
            preview,
            renders: Semaphore::new(cores),
            pool,
            guard: Guard::new(port)?,
            shapers: Mutex::new(Vec::new()),
        })))
    }

    pub fn shared(&self) -> Arc<Shared> {
        self.0.clone()
    }

    pub fn guard(&self) -> &Guard {
        &self.0.guard
    }

    /// Runs `f` on a render thread once a render slot is free.
    pub async fn render<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Shared) -> T + Send + 'static,
    ) -> Result<T, Response> {
        let _permit = self.0.renders.acquire().await.map_err(|_| server_error())?;
        let shared = self.0.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.0.pool.spawn(move || {
            let _ = tx.send(f(&shared));
        });
        rx.await.map_err(|_| server_error())
    }
}

impl Shared {
    /// Runs `f` with a warm shaper from the pool, or a new one.
    fn with_shaper<T>(
        &self,
        f: impl FnOnce(&mut Shaper<'static>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let kept = self.shapers.lock().ok().and_then(|mut s| s.pop());
        let mut shaper = match kept {
            Some(s) => s,
            None => self.engine.shaper()?,
        };
        let out = f(&mut shaper);
        if let Ok(mut pool) = self.shapers.lock() {
            pool.push(shaper);
        }
        out
    }

    /// The handout's PDF, or the library's error.
    pub fn pdf(&self, choices: &Choices) -> Result<Vec<u8>, Error> {
        self.with_shaper(|shaper| self.engine.build(choices, shaper))
    }

    fn pages(&self, choices: &Choices) -> Result<Vec<String>, Error> {
        let doc = self.with_shaper(|shaper| self.engine.layout(choices, shaper))?;
        Ok(self.preview.pages(&doc))
    }

    /// The advice ids a region's handout has in a variant.
    pub fn advice_ids(&self, region: Region, variant: Variant) -> Vec<String> {
        select::advice_ids(&self.engine.content, region, variant)
            .into_iter()
            .map(String::from)
            .collect()
    }
}

/// Today's date, as `pjece build` takes it (SOURCE_DATE_EPOCH when set).
pub fn today() -> Date {
    crate::cli::commands::today().unwrap_or_else(|_| jiff::ZonedDateTime::now().date())
}

/// The router, without binding: `serve` and the tests use the same one.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(form_page))
        .route("/advice", get(advice_list))
        .route("/handout", post(handout))
        .route("/preview", post(preview))
        .route("/api/handout", post(api::handout))
        .route(
            "/reissue",
            post(reissue::upload).layer(DefaultBodyLimit::max(REISSUE_LIMIT)),
        )
        .route("/assets/{name}", get(assets::serve))
        .merge(super::batch::routes(&state))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(middleware::from_fn(security::plain_errors))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn(security::log))
        .with_state(state)
}

#[derive(Deserialize)]
struct ListQuery {
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

async fn form_page(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
    page(&state, &q.form(), &[], StatusCode::OK)
}

/// The checklist alone, for the script to swap in when the region or variant changes.
async fn advice_list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Response {
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

async fn handout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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
async fn preview(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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

fn server_error() -> Response {
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

async fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "Siden findes ikke.")
}
