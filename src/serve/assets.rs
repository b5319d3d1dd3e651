//! The page's style sheet and script, compiled into the binary and served under names that
//! carry a hash of their bytes, so a browser may cache them for good.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub struct Asset {
    /// `/assets/form.<hash>.css`.
    pub path: String,
    bytes: &'static [u8],
    content_type: &'static str,
}

impl Asset {
    fn new(stem: &str, ext: &str, bytes: &'static [u8], content_type: &'static str) -> Asset {
        let hash: String = Sha256::digest(bytes)[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Asset {
            path: format!("/assets/{stem}.{hash}.{ext}"),
            bytes,
            content_type,
        }
    }
}

pub static CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "form",
        "css",
        include_bytes!("assets/form.css"),
        "text/css; charset=utf-8",
    )
});

pub static JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "form",
        "js",
        include_bytes!("assets/form.js"),
        "text/javascript; charset=utf-8",
    )
});

/// The batch page's progress polling (src/serve/batch).
pub static BATCH_JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "batch",
        "js",
        include_bytes!("assets/batch.js"),
        "text/javascript; charset=utf-8",
    )
});

pub async fn serve(Path(name): Path<String>) -> Response {
    let path = format!("/assets/{name}");
    match [&*CSS, &*JS, &*BATCH_JS]
        .into_iter()
        .find(|a| a.path == path)
    {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "Findes ikke.").into_response(),
    }
}
