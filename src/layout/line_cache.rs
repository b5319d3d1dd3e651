//! Paragraphs already broken into lines, shared by every handout an engine lays out: most
//! paragraphs are the same in every handout of a region, so a batch breaks each one once.
//!
//! The cache belongs to the engine, not the shaper, so shaping knows nothing of line breaking
//! (`linebreak` uses `shape`, never the reverse). Batch workers share it behind a lock that is
//! held only to look up and to insert, never while breaking.

use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;

use super::linebreak::{Ink, Line, Styled, break_lines};
use super::shape::Shaper;
use crate::color::Color;
use crate::error::Error;
use crate::fonts::Weight;

/// Most cached paragraphs: the content of all regions and variants is about 300 at each size;
/// each handout adds a few of its own (name, note), which are worth nothing to the next one.
const LIMIT: usize = 1_000;

/// What a broken paragraph depends on: its text, weights, size, colour and width. The fonts are
/// the engine's, fixed for the cache's life.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    text: Box<str>,
    runs: Vec<(usize, usize, Weight)>,
    size: u32,
    width: u32,
    color: Color,
}

/// Broken paragraphs, by what they depend on.
#[derive(Debug, Default)]
pub struct LineCache {
    lines: Mutex<FxHashMap<Key, Arc<Vec<Line>>>>,
}

impl LineCache {
    /// An empty cache.
    pub fn new() -> LineCache {
        LineCache::default()
    }

    /// [`break_lines`], remembered: the same text in the same ink at the same width is broken
    /// once.
    pub fn break_lines(
        &self,
        shaper: &mut Shaper,
        text: &Styled,
        ink: Ink,
        max_width: f32,
        field: &str,
    ) -> Result<Arc<Vec<Line>>, Error> {
        let key = Key {
            text: text.text.as_str().into(),
            runs: text
                .runs
                .iter()
                .map(|(r, w)| (r.start, r.end, *w))
                .collect(),
            size: ink.size.to_bits(),
            width: max_width.to_bits(),
            color: ink.color,
        };
        if let Some(hit) = self.map().get(&key) {
            return Ok(hit.clone());
        }
        let lines = Arc::new(break_lines(shaper, text, ink, max_width, field)?);
        let mut map = self.map();
        if map.len() >= LIMIT {
            map.clear();
        }
        map.insert(key, lines.clone());
        Ok(lines)
    }

    /// The map; a worker that panicked while holding the lock left it whole (every change is
    /// one insert or clear), so its poison is ignored.
    fn map(&self) -> std::sync::MutexGuard<'_, FxHashMap<Key, Arc<Vec<Line>>>> {
        self.lines.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::shape::embedded_shaper;

    #[test]
    fn a_paragraph_is_broken_once() {
        let mut shaper = embedded_shaper();
        let cache = LineCache::new();
        let text = Styled::plain("Bliv ved med at bevæge dig.", Weight::Regular);
        let ink = Ink {
            size: 13.0,
            color: Color(0, 0, 0),
        };
        let first = cache
            .break_lines(&mut shaper, &text, ink, 100.0, "test")
            .unwrap();
        let again = cache
            .break_lines(&mut shaper, &text, ink, 100.0, "test")
            .unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the second comes from the cache"
        );
        let wider = cache
            .break_lines(&mut shaper, &text, ink, 400.0, "test")
            .unwrap();
        assert!(!Arc::ptr_eq(&first, &wider), "the width is part of the key");
        assert!(wider.len() < first.len());
    }
}
