//! The server's shared state: the engine, the preview, and the render threads. Renders run on
//! blocking threads, a few at a time.

use std::sync::{Arc, Mutex};

use axum::response::Response;
use tokio::sync::Semaphore;

use pjece::content::{Region, Variant};
use pjece::layout::Shaper;
use pjece::select::{self, Choices};
use pjece::svg::Preview;
use pjece::{Engine, Error};

use super::guard::Guard;
use super::respond::server_error;

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

    pub fn pages(&self, choices: &Choices) -> Result<Vec<String>, Error> {
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
