//! Stage 4: a laid-out document written as a tagged PDF, with pdf-writer ([`stream`]): one
//! handout in memory ([`render`]), or a combined print file of many streamed to disk.
//!
//! The renderer translates; it never decides (style principle 3). Positions, page count and
//! page numbers are already in the layout; the writer walks the items once, marks each as
//! content of its structure node or as an artifact, and writes the structure tree from the
//! layout's nodes.

pub(crate) mod pdfa;
pub mod stream;
mod tags;

use crate::color::Color;
use crate::error::Error;
use crate::layout::{ArtifactKind, Document};

/// The fonts as the PDF writer holds them: parsed once per engine and shared by every worker.
pub type PdfFonts = stream::StreamFonts;

/// The name written as the PDF's creator.
pub const CREATOR: &str = concat!("pjece ", env!("CARGO_PKG_VERSION"));

/// Writes one handout as PDF/UA-1 tagged PDF bytes, with its choices when the layout carries
/// them; also PDF/A-2a when `archival`.
pub fn render(doc: &Document, fonts: &PdfFonts, archival: bool) -> Result<Vec<u8>, Error> {
    stream::render_single(doc, fonts, archival)
}

/// An artifact's marked-content properties in PDF 1.7 terms. A page-number subtype is PDF
/// 2.0, so a page number is plain pagination there.
pub(crate) fn artifact_properties(
    kind: ArtifactKind,
) -> (
    pdf_writer::types::ArtifactType,
    Option<pdf_writer::types::ArtifactSubtype<'static>>,
    Option<pdf_writer::types::ArtifactAttachment>,
) {
    use pdf_writer::types::{ArtifactAttachment, ArtifactSubtype, ArtifactType as T};
    match kind {
        ArtifactKind::Header => (
            T::Pagination,
            Some(ArtifactSubtype::Header),
            Some(ArtifactAttachment::Top),
        ),
        ArtifactKind::Footer => (
            T::Pagination,
            Some(ArtifactSubtype::Footer),
            Some(ArtifactAttachment::Bottom),
        ),
        ArtifactKind::PageNumber => (T::Pagination, None, None),
        ArtifactKind::Decoration => (T::Layout, None, None),
    }
}

/// A colour as DeviceRGB components.
pub(crate) fn rgb_components(c: Color) -> [f32; 3] {
    [c.0, c.1, c.2].map(|v| f32::from(v) / 255.0)
}
