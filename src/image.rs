//! The clinic's logo as the handout carries it: read and checked when the profile is read
//! (`clinic`), placed by `layout`, embedded by `render`.
//!
//! The check reads the format and size from the file's header (`imagesize`) before anything is
//! decoded, and decodes a JPEG in full. Of a PNG it reads the chunks before the image data as
//! the PDF writer does when it embeds the logo (`png`); the pixels are decoded when the PDF is
//! written, so the sample handouts that prove a profile (`pjece check`, and before `build` and
//! `batch`) prove them.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use crate::error::io_reason;
use crate::files;

/// Largest logo file accepted.
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;

/// Widest or tallest logo accepted, in pixels: far more than a header needs, and a bound on
/// the memory a decoded image takes.
pub const MAX_LOGO_PIXELS: u32 = 4096;

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

impl Logo {
    /// Reads and checks the PNG or JPEG at `path`; `file` names it in messages, `alt` describes
    /// it. The error is what is wrong with the file, in words that follow its name.
    pub fn read(path: &Path, file: String, alt: String) -> Result<Logo, String> {
        let data = files::read(path, MAX_LOGO_BYTES).map_err(|e| {
            e.reason(
                "a PNG or JPEG file",
                &format!("a logo may be at most {MAX_LOGO_BYTES} bytes"),
            )
        })?;
        let (format, pixels) = format_and_size(&data)?;
        let (w, h) = pixels;
        if w > MAX_LOGO_PIXELS || h > MAX_LOGO_PIXELS {
            return Err(format!(
                "is {w}×{h} pixels; a logo may be at most {MAX_LOGO_PIXELS} pixels each way, so scale it down"
            ));
        }
        if w == 0 || h == 0 {
            return Err("has no pixels".into());
        }
        match format {
            ImageFormat::Png => check_png_header(&data)?,
            ImageFormat::Jpeg => check_jpeg(&data)?,
        }
        Ok(Logo {
            data: Arc::new(data),
            format,
            pixels,
            alt,
            file,
        })
    }
}

/// The format and the width and height in pixels, from the header alone.
fn format_and_size(data: &[u8]) -> Result<(ImageFormat, (u32, u32)), String> {
    // imagesize tells formats apart by a 12-byte header; a shorter file that starts like a PNG
    // or JPEG is one cut short, not something else, so it is padded to be told apart.
    let mut header = [0; 12];
    let n = data.len().min(header.len());
    header[..n].copy_from_slice(&data[..n]);
    let kind = imagesize::image_type(&header);
    let format = match kind {
        Ok(imagesize::ImageType::Png) => ImageFormat::Png,
        Ok(imagesize::ImageType::Jpeg) => ImageFormat::Jpeg,
        _ => return Err("is not a PNG or JPEG image".into()),
    };
    let size = kind
        .and_then(|k| k.reader_size(&mut Cursor::new(data)))
        .map_err(|e| {
            let reason = match e {
                imagesize::ImageError::IoError(e)
                    if e.kind() == std::io::ErrorKind::UnexpectedEof =>
                {
                    "unexpected end of file".into()
                }
                imagesize::ImageError::IoError(e) => io_reason(&e),
                _ => "its header is damaged".into(),
            };
            format!("cannot be read as an image ({reason})")
        })?;
    let side = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok((format, (side(size.width), side(size.height))))
}

/// Reads a PNG's chunks up to its image data: their checksums, and a header the writer embeds.
fn check_png_header(data: &[u8]) -> Result<(), String> {
    png::Decoder::new(Cursor::new(data))
        .read_info()
        .map(drop)
        .map_err(|e| {
            let reason = e.to_string().to_lowercase();
            format!("cannot be read as an image ({reason})")
        })
}

/// Decodes a JPEG in full. The PDF carries a JPEG's bytes as they are, so nothing else ever
/// decodes it before a reader's viewer does: a file cut short would print as a half-grey logo.
/// Strict, because the lenient default fills missing parts with grey instead of failing.
fn check_jpeg(data: &[u8]) -> Result<(), String> {
    use zune_jpeg::zune_core::options::DecoderOptions;
    let max = MAX_LOGO_PIXELS as usize;
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(max)
        .set_max_height(max);
    zune_jpeg::JpegDecoder::new_with_options(Cursor::new(data), options)
        .decode()
        .map(drop)
        .map_err(|e| {
            format!(
                "cannot be read as an image ({})",
                e.to_string().to_lowercase()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(dir: &Path, name: &str, bytes: &[u8]) -> Result<Logo, String> {
        std::fs::write(dir.join(name), bytes).unwrap();
        Logo::read(&dir.join(name), name.into(), String::new())
    }

    /// A PNG signature and IHDR chunk claiming `w` x `h` pixels, and nothing more.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(w.to_be_bytes());
        png.extend(h.to_be_bytes());
        png.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        png
    }

    #[test]
    fn a_huge_logo_is_refused_before_it_is_decoded() {
        let dir = tempfile::tempdir().unwrap();
        // Decoding 30000 x 30000 pixels would take gigabytes; the header alone refuses it.
        assert_eq!(
            read(dir.path(), "big.png", &png_header(30000, 30000)).unwrap_err(),
            "is 30000×30000 pixels; a logo may be at most 4096 pixels each way, so scale it down"
        );
        assert_eq!(
            read(dir.path(), "wide.png", &png_header(5000, 10)).unwrap_err(),
            "is 5000×10 pixels; a logo may be at most 4096 pixels each way, so scale it down"
        );
        assert_eq!(
            read(dir.path(), "none.png", &png_header(0, 10)).unwrap_err(),
            "has no pixels"
        );
    }

    #[test]
    fn the_header_size_is_the_size_the_pdf_writer_reads() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for (name, format) in [
            ("logo.png", ImageFormat::Png),
            ("logo.jpg", ImageFormat::Jpeg),
        ] {
            let logo = Logo::read(&fixtures.join(name), name.into(), String::new()).unwrap();
            assert_eq!(logo.format, format, "{name}");
            assert_eq!(
                Some(logo.pixels),
                decoded_size(&logo.data, format),
                "{name}"
            );
        }
    }

    /// A logo's size as the PDF writer (`render/stream/image.rs`) decodes it, or `None` when
    /// it cannot.
    fn decoded_size(data: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
        match format {
            ImageFormat::Png => {
                let mut decoder = png::Decoder::new(Cursor::new(data));
                decoder.set_transformations(
                    png::Transformations::EXPAND | png::Transformations::STRIP_16,
                );
                let mut reader = decoder.read_info().ok()?;
                let mut pixels = vec![0; reader.output_buffer_size()?];
                let frame = reader.next_frame(&mut pixels).ok()?;
                Some((frame.width, frame.height))
            }
            ImageFormat::Jpeg => {
                let mut decoder = zune_jpeg::JpegDecoder::new(Cursor::new(data));
                decoder.decode_headers().ok()?;
                decoder.dimensions().map(|(w, h)| (w as u32, h as u32))
            }
        }
    }

    #[test]
    fn a_png_the_pdf_writer_would_refuse_is_refused_first() {
        // A PNG the writer cannot decode fails the whole handout, so these must be the
        // profile's error first.
        let dir = tempfile::tempdir().unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let png = std::fs::read(fixtures.join("logo.png")).unwrap();
        let mut bad_crc = png.clone();
        bad_crc[29] ^= 0xFF; // the header chunk's checksum
        // The signature and header chunk, then the end chunk: no image data.
        let mut no_data = png[..33].to_vec();
        no_data.extend(b"\0\0\0\0IEND\xAE\x42\x60\x82");
        for (name, bytes, reason) in [
            (
                "crc.png",
                bad_crc,
                "cannot be read as an image (crc error: ",
            ),
            (
                "nodata.png",
                no_data,
                "cannot be read as an image (idat or fdat chunk is missing.)",
            ),
        ] {
            assert!(
                decoded_size(&bytes, ImageFormat::Png).is_none(),
                "{name}: the writer takes it"
            );
            let e = read(dir.path(), name, &bytes).unwrap_err();
            assert!(e.starts_with(reason), "{name}: {e}");
        }
    }

    #[test]
    fn what_is_no_png_or_jpeg_or_is_cut_short_says_so() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [
            ("text.png", &b"not an image"[..]),
            ("empty.png", b""),
            ("gif.png", b"GIF89a\x01\0\x01\0\0\0\0\0"),
        ] {
            let e = read(dir.path(), name, bytes).unwrap_err();
            assert_eq!(e, "is not a PNG or JPEG image", "{name}");
        }
        // Starts like one, ends before its size: the 8-byte PNG signature, a JPEG's first marker.
        for (name, bytes) in [
            ("sig.png", &b"\x89PNG\r\n\x1a\n"[..]),
            ("soi.jpg", b"\xFF\xD8\xFF"),
        ] {
            let e = read(dir.path(), name, bytes).unwrap_err();
            assert_eq!(
                e, "cannot be read as an image (unexpected end of file)",
                "{name}"
            );
        }
        // A JPEG whose segments lead nowhere.
        let mut fake = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00".to_vec();
        fake.extend(b"this is no picture".repeat(20));
        let e = read(dir.path(), "fake.jpg", &fake).unwrap_err();
        assert_eq!(e, "cannot be read as an image (its header is damaged)");
    }
}
