//! "Mange på én gang": `pjece batch` in the browser. An upload is read as the command line
//! reads its input (the same encodings, the same refusals), checked as `--check` checks it,
//! then made on a batch thread in a private temporary directory, and downloaded as one ZIP.
//! The same through `/api/batch` for other systems. See docs/serve-batch.md.

// A handler's early answer is a `Response`, as in `form_page`.
#![allow(clippy::result_large_err)]

mod archive;
mod dirs;
mod file_names;
mod job;
mod jobs;
mod messages;
mod page;
mod result;
mod rows;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use pjece::batch::input::{Column, Encoding, Format, Reader};
use pjece::batch::job::Defaults;
use pjece::content::{Region, Variant};
use pjece::dates::parse_date;

pub use super::assets::BATCH_JS;
use super::state::AppState;
use super::today::today;
use dirs::JobDir;
pub use dirs::sweep;
use job::{Job, Problem, Request};
use jobs::Batches;
use page::Chosen;

/// Largest upload: 8 MB. A browser batch makes at most [`MAX_ROWS`] handouts, and an export
/// row is 100 to 500 bytes (issue 14's exports), so 5,000 rows are at most 2.5 MB; the rest is
/// room for long notes. Larger files are the command line's (256 MB).
pub const UPLOAD_LIMIT: u64 = 8 * 1024 * 1024;

/// Most rows a batch in the browser makes: a handout is about 30 KB, so 5,000 rows keep a
/// batch's temporary directory near 150 MB (300 MB with the combined file) on the clinic's
/// machine, and its run within a few minutes.
pub const MAX_ROWS: u64 = 5_000;

/// The form fields beside the file.
const FIELDS_SLACK: usize = 64 * 1024;

#[derive(Clone)]
struct BatchState {
    app: AppState,
    batches: Arc<Batches>,
}

/// The batch routes, with their own body limit; merged into the app's router.
pub fn routes(app: &AppState) -> Router<AppState> {
    let state = BatchState {
        app: app.clone(),
        batches: Batches::new(app.shared()),
    };
    Router::new()
        .route("/batch", get(upload_page).post(upload_form))
        .route("/batch/{id}", get(job_page))
        .route("/batch/{id}/start", post(start_form))
        .route("/batch/{id}/cancel", post(cancel_form))
        .route("/api/batch", post(api_create))
        .route("/api/batch/{id}", get(api_status).delete(api_cancel))
        .route("/api/batch/{id}/result", get(api_result))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT as usize + FIELDS_SLACK))
        .with_state(state)
}

async fn upload_page(State(s): State<BatchState>) -> Response {
    let chosen = Chosen {
        date: today().to_string(),
        ..Chosen::default()
    };
    Html(page::upload(&s.app.guard().token(), &chosen, &[]).into_string()).into_response()
}

/// Why an upload is refused: its status and the problems to show.
struct Refusal {
    status: StatusCode,
    problems: Vec<Problem>,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            problems: vec![Problem {
                row: None,
                column: None,
                message: message.into(),
            }],
        }
    }
}

/// What an upload sent, the file already in a private directory.
struct Upload {
    dir: JobDir,
    file_name: Option<String>,
    bytes: u64,
    chosen: Chosen,
    csrf: String,
}

fn too_large() -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Filen er større end {} MB, det største, der kan sendes her. Del den op, eller brug \
             kommandoen pjece batch.",
            UPLOAD_LIMIT / (1024 * 1024)
        ),
    )
}

fn server_trouble() -> Refusal {
    Refusal::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Filen kunne ikke gemmes midlertidigt på denne computer (er disken fuld?).",
    )
}

/// Reads the multipart body: the file goes to disk as it comes, counted against the limit.
async fn receive(headers: &HeaderMap, mut multipart: Multipart) -> Result<Upload, Refusal> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > UPLOAD_LIMIT + FIELDS_SLACK as u64) {
        return Err(too_large());
    }
    let dir = JobDir::new().map_err(|_| server_trouble())?;
    let mut upload = Upload {
        file_name: None,
        bytes: 0,
        chosen: Chosen::default(),
        csrf: String::new(),
        dir,
    };
    let mut file_seen = false;
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "Det sendte kunne ikke læses som en formular med en fil (multipart/form-data).",
            )
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            if file_seen {
                return Err(Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Send én fil ad gangen.",
                ));
            }
            file_seen = true;
            upload.file_name = field.file_name().map(str::to_string);
            let path = upload.dir.path().join("upload");
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(|_| server_trouble())?;
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                upload.bytes += chunk.len() as u64;
                if upload.bytes > UPLOAD_LIMIT {
                    return Err(too_large());
                }
                out.write_all(&chunk).await.map_err(|_| server_trouble())?;
            }
            out.flush().await.map_err(|_| server_trouble())?;
            continue;
        }
        let value = field.text().await.map_err(broken)?;
        let c = &mut upload.chosen;
        let on = || matches!(value.trim(), "ja" | "on" | "true" | "1" | "yes");
        match name.as_str() {
            "csrf" => upload.csrf = value,
            "region" => c.region = value.trim().to_string(),
            "variant" => c.variant = value.trim().to_string(),
            "date" => c.date = value.trim().to_string(),
            "encoding" => c.encoding = value.trim().to_lowercase(),
            "duplex" => c.duplex = on(),
            "combined" => c.combined = on(),
            "go_on" => c.go_on = on(),
            // Unknown fields are ignored, as the form's are.
            _ => {}
        }
    }
    Ok(upload)
}

/// The batch an upload asks for, or what is wrong with its options.
fn request(chosen: &Chosen, format: Format) -> Result<Request, Refusal> {
    let bad = |m: &str| Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, m);
    let region = match chosen.region.as_str() {
        "" => None,
        r => Some(Region::parse(r).ok_or_else(|| {
            bad("Ukendt område; brug lumbar (lænd) eller cervical (nakke), eller lad feltet være tomt.")
        })?),
    };
    let variant = match chosen.variant.to_lowercase().as_str() {
        "" | "full" | "fuld" => Variant::Full,
        "short" | "kort" | "pixi" => Variant::Short,
        _ => return Err(bad("Ukendt udgave; brug full (fuld) eller short (kort).")),
    };
    let date = match chosen.date.as_str() {
        "" => None,
        d => Some(
            parse_date(d)
                .ok_or_else(|| bad("Datoen skal skrives som ÅÅÅÅ-MM-DD, fx 2026-12-03."))?,
        ),
    };
    let encoding = match chosen.encoding.as_str() {
        "" | "utf-8" | "utf8" => Encoding::Utf8,
        "windows-1252" | "cp1252" => Encoding::Windows1252,
        "macintosh" | "mac-roman" => Encoding::Macintosh,
        "cp850" => Encoding::Cp850,
        _ => {
            return Err(bad(
                "Ukendt tegnsæt; brug utf-8, windows-1252, macintosh eller cp850.",
            ));
        }
    };
    Ok(Request {
        format,
        encoding,
        defaults: Defaults {
            region,
            variant,
            date: date.unwrap_or_else(today),
        },
        date_given: date.is_some(),
        combined: chosen.combined,
        duplex: chosen.duplex && chosen.combined,
        warnings: Vec::new(),
        go_on: chosen.go_on,
    })
}

/// Reads the upload as the command line reads its input, before any row is made: the file's
/// own problems (not text, the wrong encoding, a quote that runs rows together, no region),
/// its size in rows, and the columns it names that pjece does not read.
fn inspect(dir: &std::path::Path, request: &mut Request) -> Result<(), Refusal> {
    let input = Job::input(dir, request.format);
    std::fs::rename(dir.join("upload"), &input).map_err(|_| server_trouble())?;
    let reader = Reader::open(&input, request.format, request.encoding).map_err(|e| {
        let (row, column, message) = messages::input_error(&e);
        Refusal {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            problems: vec![Problem {
                row,
                column,
                message,
            }],
        }
    })?;
    if request.format == Format::Csv
        && !reader.header.columns.contains(&Column::Region)
        && request.defaults.region.is_none()
    {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::no_region_column(),
        ));
    }
    if reader.rows() > MAX_ROWS {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::too_many_rows(reader.rows(), MAX_ROWS),
        ));
    }
    request
        .warnings
        .extend(messages::unknown_columns(&reader.header.unknown));
    Ok(())
}

/// Takes an upload to a batch: received, its options read, the file inspected, the batch
/// created (not yet started).
async fn accept(
    s: &BatchState,
    headers: &HeaderMap,
    multipart: Multipart,
    form: bool,
) -> Result<Arc<Job>, (Refusal, Chosen)> {
    let upload = receive(headers, multipart)
        .await
        .map_err(|r| (r, Chosen::default()))?;
    let chosen = upload.chosen.clone();
    let fail = |r: Refusal| (r, chosen.clone());
    if form && !s.app.guard().token_valid(&upload.csrf) {
        return Err(fail(Refusal::new(
            StatusCode::FORBIDDEN,
            "Formularen er for gammel eller kommer ikke fra denne side. Genindlæs siden, og prøv igen.",
        )));
    }
    if upload.file_name.is_none() || upload.bytes == 0 {
        return Err(fail(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::NO_FILE,
        )));
    }
    // Any name but a JSON Lines one is read as CSV: a workbook is then named as what it is.
    let format = upload
        .file_name
        .as_deref()
        .and_then(|n| Format::from_path(std::path::Path::new(n)))
        .unwrap_or(Format::Csv);
    let mut request = request(&upload.chosen, format).map_err(fail)?;
    let dir = upload.dir;
    let inspected = tokio::task::spawn_blocking(move || {
        inspect(dir.path(), &mut request).map(|()| (dir, request))
    })
    .await
    .map_err(|_| fail(server_trouble()))?;
    let (dir, request) = inspected.map_err(fail)?;
    match s.batches.create(request, dir) {
        Ok(Some(job)) => Ok(job),
        Ok(None) => Err(fail(Refusal::new(
            StatusCode::SERVICE_UNAVAILABLE,
            messages::BUSY,
        ))),
        Err(_) => Err(fail(server_trouble())),
    }
}

async fn upload_form(
    State(s): State<BatchState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    match accept(&s, &headers, multipart, true).await {
        Ok(job) => {
            let go_on = job.request.go_on;
            let id = job.id.clone();
            s.batches.check(job, go_on);
            Redirect::to(&format!("/batch/{id}")).into_response()
        }
        Err((refusal, mut chosen)) => {
            if chosen.date.is_empty() {
                chosen.date = today().to_string();
            }
            let body = page::upload(&s.app.guard().token(), &chosen, &refusal.problems);
            (refusal.status, Html(body.into_string())).into_response()
        }
    }
}

async fn job_page(State(s): State<BatchState>, Path(id): Path<String>) -> Response {
    match s.batches.get(&id) {
        Some(job) => {
            let body = page::job(&job.id, &s.app.guard().token(), &job.progress());
            Html(body.into_string()).into_response()
        }
        None => (StatusCode::NOT_FOUND, Html(page::gone().into_string())).into_response(),
    }
}

/// A button's POST: its type a form's, its token this server's.
fn form_ok(s: &BatchState, headers: &HeaderMap, body: &[u8]) -> bool {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let token = form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    is_form && s.app.guard().token_valid(&token)
}

fn refused_form() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Formularen er for gammel eller kommer ikke fra denne side. Genindlæs siden, og prøv igen.",
    )
        .into_response()
}

/// What the page's two buttons do to a batch.
enum Button {
    Start,
    Cancel,
}

async fn start_form(
    state: State<BatchState>,
    id: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    button(state, id, headers, body, Button::Start).await
}

async fn cancel_form(
    state: State<BatchState>,
    id: Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    button(state, id, headers, body, Button::Cancel).await
}

/// A press of "Lav pjecer" or "Annullér": the form's token checked, then back to the batch page.
async fn button(
    State(s): State<BatchState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    pressed: Button,
) -> Response {
    if !form_ok(&s, &headers, &body) {
        return refused_form();
    }
    let Some(job) = s.batches.get(&id) else {
        return match pressed {
            Button::Start => {
                (StatusCode::NOT_FOUND, Html(page::gone().into_string())).into_response()
            }
            Button::Cancel => Redirect::to(&format!("/batch/{id}")).into_response(),
        };
    };
    match pressed {
        // A second click, or one on an old page, does not start it twice.
        Button::Start if job.progress().state == job::State::Checked => s.batches.start(job),
        Button::Start => {}
        Button::Cancel => cancel(&s, &job).await,
    }
    Redirect::to(&format!("/batch/{id}")).into_response()
}

/// Cancels a batch and answers once its directory is gone: the batch stops within a few
/// rows, so this waits a moment at most.
async fn cancel(s: &BatchState, job: &Job) {
    s.batches.cancel(job);
    for _ in 0..500 {
        if job.removed() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

fn problems_json(problems: &[Problem]) -> Vec<Value> {
    problems
        .iter()
        .map(|p| {
            json!({
                "row": p.row,
                "column": p.column.map(Column::name),
                "column_label": p.column.map(messages::column),
                "message": p.message,
            })
        })
        .collect()
}

fn status_json(job: &Job) -> Value {
    let p = job.progress();
    let status_url = format!("/api/batch/{}", job.id);
    json!({
        "state": p.state.name(),
        "done": p.done,
        "failed": p.failed,
        "total": p.total,
        "rows": problems_json(&p.rows),
        "warnings": p.warnings,
        "error": p.error,
        "result_url": p.result.then(|| format!("{status_url}/result")),
    })
}

fn api_gone() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({"errors": [{"row": null, "column": null, "message": messages::GONE}]})),
    )
        .into_response()
}

async fn api_create(
    State(s): State<BatchState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    match accept(&s, &headers, multipart, false).await {
        Ok(job) => {
            let status_url = format!("/api/batch/{}", job.id);
            s.batches.start(job);
            (
                StatusCode::ACCEPTED,
                [(header::LOCATION, status_url.clone())],
                axum::Json(json!({ "status_url": status_url })),
            )
                .into_response()
        }
        Err((refusal, _)) => (
            refusal.status,
            axum::Json(json!({ "errors": problems_json(&refusal.problems) })),
        )
            .into_response(),
    }
}

async fn api_status(State(s): State<BatchState>, Path(id): Path<String>) -> Response {
    match s.batches.get(&id) {
        Some(job) => axum::Json(status_json(&job)).into_response(),
        None => api_gone(),
    }
}

async fn api_cancel(State(s): State<BatchState>, Path(id): Path<String>) -> Response {
    match s.batches.get(&id) {
        Some(job) => {
            cancel(&s, &job).await;
            axum::Json(status_json(&job)).into_response()
        }
        None => api_gone(),
    }
}

async fn api_result(State(s): State<BatchState>, Path(id): Path<String>) -> Response {
    let Some(job) = s.batches.get(&id) else {
        return api_gone();
    };
    if !job.progress().result {
        return (
            StatusCode::CONFLICT,
            axum::Json(json!({"errors": [{"row": null, "column": null,
                "message": "ZIP-filen er ikke klar; se status_url."}]})),
        )
            .into_response();
    }
    match result::download(s.batches.clone(), job).await {
        Some(r) => r,
        None => api_gone(),
    }
}
