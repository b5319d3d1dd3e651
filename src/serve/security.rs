//! The door of a local server: only this computer's own names in `Host` (DNS rebinding), no
//! cross-site POSTs, strict response headers, and a log line that holds method, path, status
//! and duration only — never a patient's data. The token on forms is [`Guard`]'s.
//!
//! [`Guard`]: super::guard::Guard

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// Whether a state-changing request comes from this site: `Sec-Fetch-Site`, when sent, must be
/// same-origin or none (typed by the user); `Origin`, when sent, must be this server's own —
/// or `null`, which a browser sends for its own form POST under `Referrer-Policy:
/// no-referrer`, and then only with `Sec-Fetch-Site: same-origin` beside it.
fn same_site(headers: &HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    if site.is_some_and(|s| !matches!(s, b"same-origin" | b"none")) {
        return false;
    }
    match headers.get(header::ORIGIN).map(HeaderValue::as_bytes) {
        None => true,
        Some(b"null") => site == Some(b"same-origin"),
        Some(origin) => {
            let host = headers.get(header::HOST).map(HeaderValue::as_bytes);
            host.is_some_and(|h| origin.strip_prefix(b"http://") == Some(h))
        }
    }
}

/// Refuses foreign `Host`s and cross-site requests that change something, with 403.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if !state.guard().host_allowed(headers) {
        return refused("Adressen passer ikke til denne server (forkert Host).");
    }
    if request.method() != Method::GET && request.method() != Method::HEAD && !same_site(headers) {
        return refused("Forespørgsler fra andre websteder afvises.");
    }
    next.run(request).await
}

fn refused(why: &'static str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        why,
    )
        .into_response()
}

/// The same headers on every answer; `no-store` unless the answer set its own caching
/// (only the hashed assets do).
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// One line a request on standard error: method, path (never the query), status, duration.
pub async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri());
    let start = Instant::now();
    let response = next.run(request).await;
    eprintln!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        start.elapsed().as_secs_f64() * 1000.0
    );
    response
}

/// The path as logged: the known routes as they are, anything else as `(other)`, since an
/// unknown path is typed by someone and may hold anything.
fn loggable_path(uri: &Uri) -> &'static str {
    match uri.path() {
        "/" => "/",
        "/handout" => "/handout",
        "/preview" => "/preview",
        "/advice" => "/advice",
        "/api/handout" => "/api/handout",
        "/batch" => "/batch",
        "/api/batch" => "/api/batch",
        // A batch's id is the key to its result: not for the log.
        p if p.starts_with("/batch/") => "/batch/…",
        p if p.starts_with("/api/batch/") => "/api/batch/…",
        "/reissue" => "/reissue",
        p if p.starts_with("/assets/") => "/assets/…",
        _ => "(other)",
    }
}

/// Turns the plain 413 and 408 of the limit and timeout layers into Danish text.
pub async fn plain_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let text = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE => "Det sendte er for stort.",
        StatusCode::REQUEST_TIMEOUT => "Det tog for lang tid; prøv igen.",
        _ => return response,
    };
    if response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| {
            let t = t.as_bytes();
            // The API's JSON and the page's own 413 (a PDF to re-issue too large) say more.
            t.starts_with(b"application/json") || t.starts_with(b"text/html")
        })
    {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(text))
}
