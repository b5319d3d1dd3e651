//! The router: every route of the server, and the layers every request passes.

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use tower_http::timeout::TimeoutLayer;

use super::reissue::{self, REISSUE_LIMIT};
use super::respond::plain;
use super::security;
use super::state::AppState;
use super::{api, assets, form_page};

/// Largest form body: a form holds a few kilobytes of text.
pub const FORM_LIMIT: usize = 256 * 1024;
/// Longest a request may take, waiting for a render included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The router, without binding: `serve` and the tests use the same one.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(form_page::form_page))
        .route("/advice", get(form_page::advice_list))
        .route("/handout", post(form_page::handout))
        .route("/preview", post(form_page::preview))
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

async fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "Siden findes ikke.")
}
