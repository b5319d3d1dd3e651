//! pjece turns the Danish guideline *Patientuddannelse til patienten med nerverodspåvirkning
//! i lænd og nakke* into personalised, printable, accessible patient handouts.
//!
//! The pipeline, one module a stage, each consuming the previous one's plain data:
//!
//! ```text
//! content (JSON) -> select (choices -> blocks) -> layout (pages of positioned items) -> render (tagged PDF)
//! ```
//!
//! [`Engine`] holds what is loaded once (content, fonts) and builds handouts from choices.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod batch;
pub mod chars;
pub mod clinic;
pub mod color;
pub mod content;
pub mod dates;
pub mod error;
pub mod field;
pub mod files;
pub mod fonts;
pub mod handout;
pub mod image;
pub mod layout;
pub mod out_of_hours;
pub mod output;
pub mod reissue;
pub mod render;
pub mod select;
pub mod svg;
pub mod web;

pub use error::{Error, Problem, Result};

use std::path::Path;

use content::Content;
use fonts::FontSet;
use layout::{LineCache, Shaper, Style};
use render::PdfFonts;
use select::Choices;

/// Reads and checks a clinic profile against the content (its regions, the logo's default
/// description) and the fonts the handouts are set in; every problem names its field.
pub fn load_clinic(path: &Path, content: &Content, fonts: &FontSet) -> Result<clinic::Clinic> {
    let known = clinic::Known {
        out_of_hours: &content.out_of_hours,
        logo_alt: &content.labels.logo_alt,
        fonts,
    };
    clinic::load(path, &known)
}

/// Content, fonts, styles and the clinic profile, loaded once and shared by every handout.
pub struct Engine {
    /// The validated content.
    pub content: Content,
    /// The fonts.
    pub fonts: FontSet,
    /// The page style.
    pub style: Style,
    /// The large-print style.
    pub large_print: Style,
    /// The clinic profile, if any.
    pub clinic: Option<clinic::Clinic>,
    /// Whether PDFs are archival PDF/A-2a as well as PDF/UA-1 (`--pdfa`).
    pub pdfa: bool,
    pdf_fonts: PdfFonts,
    /// Paragraphs broken into lines, shared by every handout (and batch worker) of this engine.
    lines: LineCache,
}

impl Engine {
    /// Prepares an engine.
    pub fn new(content: Content, fonts: FontSet, style: Style) -> Result<Engine> {
        let pdf_fonts = PdfFonts::new(&fonts)?;
        Ok(Engine {
            content,
            fonts,
            style,
            large_print: Style::large_print(),
            clinic: None,
            pdfa: false,
            pdf_fonts,
            lines: LineCache::new(),
        })
    }

    /// Adds a clinic profile: its accent colour, logo, contact line and out-of-hours number.
    pub fn with_clinic(mut self, clinic: Option<clinic::Clinic>) -> Engine {
        let accent = clinic.as_ref().and_then(|c| c.accent);
        self.style = self.style.with_accent(accent);
        self.large_print = self.large_print.with_accent(accent);
        self.clinic = clinic;
        self
    }

    /// Makes every PDF archival PDF/A-2a as well as PDF/UA-1, or not (the default).
    pub fn with_pdfa(mut self, pdfa: bool) -> Engine {
        self.pdfa = pdfa;
        self
    }

    /// The embedded content and fonts with the standard style.
    pub fn embedded() -> Result<Engine> {
        Engine::new(Content::embedded()?, FontSet::embedded(), Style::standard())
    }

    /// A shaper for this engine's fonts; keep one per thread and reuse it, it caches words.
    pub fn shaper(&self) -> Result<Shaper<'_>> {
        Shaper::new(&self.fonts)
    }

    /// Selects and lays out one handout.
    pub fn layout(&self, choices: &Choices, shaper: &mut Shaper) -> Result<layout::Document> {
        let handout = select::select(&self.content, self.clinic.as_ref(), choices)?;
        let style = if choices.large_print {
            &self.large_print
        } else {
            &self.style
        };
        let mut doc = layout::layout(&handout, shaper, &self.lines, style)?;
        doc.reissue = Some(reissue::record(choices));
        Ok(doc)
    }

    /// Builds one handout's PDF bytes.
    pub fn build(&self, choices: &Choices, shaper: &mut Shaper) -> Result<Vec<u8>> {
        let doc = self.layout(choices, shaper)?;
        self.render(&doc)
    }

    /// Writes a laid-out handout as PDF bytes.
    pub fn render(&self, doc: &layout::Document) -> Result<Vec<u8>> {
        render::render(doc, &self.pdf_fonts, self.pdfa)
    }

    /// The paragraphs this engine has broken into lines, for [`layout::layout`] called directly.
    pub fn line_cache(&self) -> &LineCache {
        &self.lines
    }

    /// The fonts as the PDF writer holds them.
    pub fn pdf_fonts(&self) -> &PdfFonts {
        &self.pdf_fonts
    }
}
