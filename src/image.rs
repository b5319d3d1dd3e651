//! The clinic's logo as the handout carries it: checked when the profile is read (`clinic`),
//! placed by `layout`, embedded by `render`.

use std::sync::Arc;

/// Image formats a logo may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

/// A logo ready for the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// The file's bytes.
    pub data: Arc<Vec<u8>>,
    /// PNG or JPEG.
    pub format: ImageFormat,
    /// Width and height in pixels.
    pub pixels: (u32, u32),
    /// Alternative text for screen readers.
    pub alt: String,
    /// The file as the profile names it, for messages.
    pub file: String,
}
