//! Archival PDF/A-2a (`--pdfa`) on top of PDF/UA-1, as the writer ([`super::stream`]) adds it:
//! the XMP identification of both standards and an sRGB output intent, which makes the
//! DeviceRGB colours of the pages device-independent as PDF/A asks.
//!
//! The sRGB profile (`sRGB-v4.icc`, 480 bytes) is from
//! <https://github.com/saucecontrol/Compact-ICC-Profiles> (CC0).

use pdf_writer::types::OutputIntentSubtype;
use pdf_writer::{Chunk, Ref, TextStr};
use xmp_writer::XmpWriter;

/// Why a logo cannot go into a PDF/A file: PDF/A allows CMYK only with a CMYK output intent,
/// and the pages are RGB.
pub(crate) const CMYK_LOGO: &str =
    "is a CMYK image, which an archival PDF/A file (--pdfa) cannot hold; save it as RGB";

/// An ICC v4 sRGB profile.
pub(crate) const SRGB_ICC: &[u8] = include_bytes!("sRGB-v4.icc");

/// The standards the file claims in its XMP metadata: PDF/UA-1, and PDF/A-2a when `archival`.
/// PDF/A allows only the XMP properties it predefines, so the PDF/UA identification
/// (`pdfuaid:part`) is declared in an extension schema.
pub(crate) fn write_xmp_claims(x: &mut XmpWriter, archival: bool) {
    if archival {
        x.extension_schemas()
            .pdfua_id()
            .properties()
            .describe_part();
        x.pdfa_part(2);
        x.pdfa_conformance("A");
    }
    x.pdfua_part(1);
}

/// The output intent dictionary `id` (for the catalog's `/OutputIntents`), with the sRGB
/// profile written as stream `profile`.
pub(crate) fn write_output_intent(c: &mut Chunk, id: Ref, profile: Ref) {
    c.indirect(id)
        .start::<pdf_writer::writers::OutputIntent>()
        .subtype(OutputIntentSubtype::PDFA)
        .output_condition_identifier(TextStr("sRGB"))
        .output_condition(TextStr("sRGB"))
        .registry_name(TextStr("http://www.color.org"))
        .info(TextStr("sRGB v4"))
        .dest_output_profile(profile);
}

/// The sRGB profile as stream `id`.
pub(crate) fn write_icc_profile(c: &mut Chunk, id: Ref) {
    c.icc_profile(id, SRGB_ICC).n(3);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_is_an_rgb_display_profile() {
        // ICC header: size, "acsp" signature, colour space "RGB ", device class "mntr".
        assert_eq!(
            u32::from_be_bytes(SRGB_ICC[..4].try_into().unwrap()) as usize,
            SRGB_ICC.len()
        );
        assert_eq!(&SRGB_ICC[36..40], b"acsp");
        assert_eq!(&SRGB_ICC[16..20], b"RGB ");
        assert_eq!(&SRGB_ICC[12..16], b"mntr");
    }

    #[test]
    fn only_archival_files_claim_pdfa() {
        let claims = |archival| {
            let mut x = XmpWriter::new();
            write_xmp_claims(&mut x, archival);
            x.finish(None)
        };
        let plain = claims(false);
        assert!(plain.contains("<pdfuaid:part>1</pdfuaid:part>"), "{plain}");
        assert!(!plain.contains("pdfaid"), "{plain}");
        let archival = claims(true);
        assert!(
            archival.contains("<pdfaid:part>2</pdfaid:part>"),
            "{archival}"
        );
        assert!(
            archival.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
            "{archival}"
        );
        assert!(archival.contains("pdfaExtension:schemas"), "{archival}");
    }
}
