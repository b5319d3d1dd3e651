//! The clinic's logo as an image XObject, written once for the whole file: a JPEG as it is
//! (DCT), a PNG decoded to 8-bit samples with its transparency as a soft mask. The logo was
//! checked when the clinic profile was read, so failing here means a broken file after all.

use std::io::{self, Cursor};

use pdf_writer::{Filter, Finish, Name, Ref};

use super::objects::{ObjectWriter, deflate};
use crate::image::{ImageFormat, Logo};

/// Writes `logo` as the image `id`.
pub(super) fn write_logo(w: &mut ObjectWriter, id: Ref, logo: &Logo) -> io::Result<()> {
    match logo.format {
        ImageFormat::Jpeg => write_jpeg(w, id, &logo.data),
        ImageFormat::Png => write_png(w, id, &logo.data),
    }
}

/// Whether the logo is a CMYK JPEG, which a PDF/A file with an sRGB output intent cannot hold.
pub(super) fn is_cmyk(logo: &Logo) -> bool {
    use zune_jpeg::JpegDecoder;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    if logo.format != ImageFormat::Jpeg {
        return false;
    }
    let mut decoder = JpegDecoder::new(Cursor::new(&logo.data[..]));
    decoder.decode_headers().is_ok()
        && matches!(
            decoder.input_colorspace(),
            Some(ColorSpace::CMYK | ColorSpace::YCCK)
        )
}

/// A logo the writer cannot embed after all: what was wrong, and the decoder's words.
#[derive(Debug)]
pub(super) struct BrokenLogo {
    what: String,
    pub cause: String,
}

impl std::fmt::Display for BrokenLogo {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "the logo cannot be embedded: {} ({})",
            self.what, self.cause
        )
    }
}

impl std::error::Error for BrokenLogo {}

fn broken(what: &str, e: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        BrokenLogo {
            what: what.into(),
            cause: e.to_string(),
        },
    )
}

fn write_jpeg(w: &mut ObjectWriter, id: Ref, data: &[u8]) -> io::Result<()> {
    use zune_jpeg::JpegDecoder;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    let mut decoder = JpegDecoder::new(Cursor::new(data));
    decoder
        .decode_headers()
        .map_err(|e| broken("unreadable JPEG", e))?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| broken("JPEG", "no size"))?;
    let (space, components, inverted) = match decoder.input_colorspace() {
        Some(ColorSpace::Luma) => (Name(b"DeviceGray"), 1, false),
        Some(ColorSpace::YCbCr | ColorSpace::RGB) => (Name(b"DeviceRGB"), 3, false),
        // Photoshop writes CMYK inverted (as PDF writers assume).
        Some(ColorSpace::CMYK | ColorSpace::YCCK) => (Name(b"DeviceCMYK"), 4, true),
        other => return Err(broken("JPEG colour space", format!("{other:?}"))),
    };
    w.direct(|c| {
        let mut image = c.image_xobject(id, data);
        image.filter(Filter::DctDecode);
        image.width(width as i32).height(height as i32);
        image.color_space_name(space);
        image.bits_per_component(8);
        if inverted {
            image.decode([1.0, 0.0].repeat(components));
        }
        image.finish();
    })
}

fn write_png(w: &mut ObjectWriter, id: Ref, data: &[u8]) -> io::Result<()> {
    use png::{ColorType, Transformations};
    let mut decoder = png::Decoder::new(Cursor::new(data));
    // Palette and low bit depths expanded, 16 bits cut to 8: four layouts remain.
    decoder.set_transformations(Transformations::EXPAND | Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| broken("unreadable PNG", e))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| broken("PNG", "too large"))?;
    let mut pixels = vec![0; size];
    let frame = reader
        .next_frame(&mut pixels)
        .map_err(|e| broken("unreadable PNG", e))?;
    pixels.truncate(frame.buffer_size());
    let (colors, alpha) = match frame.color_type {
        ColorType::Grayscale => (1, false),
        ColorType::GrayscaleAlpha => (1, true),
        ColorType::Rgb => (3, false),
        ColorType::Rgba => (3, true),
        other => return Err(broken("PNG layout", format!("{other:?}"))),
    };
    let (color, mask) = if alpha {
        let mut color = Vec::with_capacity(pixels.len());
        let mut mask = Vec::with_capacity(pixels.len() / (colors + 1));
        for px in pixels.chunks_exact(colors + 1) {
            color.extend_from_slice(&px[..colors]);
            mask.push(px[colors]);
        }
        // A fully opaque alpha channel needs no mask.
        let opaque = mask.iter().all(|&a| a == 255);
        (color, (!opaque).then_some(mask))
    } else {
        (pixels, None)
    };
    let (width, height) = (frame.width as i32, frame.height as i32);
    let mask_ref = match mask {
        Some(mask) => {
            let mask_ref = w.alloc();
            let mask = deflate(&mask);
            w.direct(|c| {
                let mut image = c.image_xobject(mask_ref, &mask);
                image.filter(Filter::FlateDecode);
                image.width(width).height(height);
                image.color_space_name(Name(b"DeviceGray"));
                image.bits_per_component(8);
            })?;
            Some(mask_ref)
        }
        None => None,
    };
    let color = deflate(&color);
    w.direct(|c| {
        let mut image = c.image_xobject(id, &color);
        image.filter(Filter::FlateDecode);
        image.width(width).height(height);
        image.color_space_name(if colors == 1 {
            Name(b"DeviceGray")
        } else {
            Name(b"DeviceRGB")
        });
        image.bits_per_component(8);
        if let Some(m) = mask_ref {
            image.s_mask(m);
        }
    })
}
