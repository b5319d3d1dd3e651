//! Archival PDF/A-2a (`--pdfa`) on top of PDF/UA-1, for both writers: krilla's configuration for
//! single handouts, and what the streaming combined file ([`super::stream`]) writes itself: the
//! XMP identification of both standards and an sRGB output intent, which makes the DeviceRGB
//! colours of the pages device-independent as PDF/A asks.
//!
//! The sRGB profile (`sRGB-v4.icc`, 480 bytes) is the one krilla embeds for PDF 1.7, from
//! <https://github.com/saucecontrol/Compact-ICC-Profiles> (CC0): krilla does not export it.

use krilla::configure::{Accessibility, Archival, Configuration, ConfigurationBuilder};
use pdf_writer::types::OutputIntentSubtype;
use pdf_writer::{Chunk, Ref, TextStr};
use xmp_writer::XmpWriter;

/// Why a logo cannot go into a PDF/A file: PDF/A allows CMYK only with a CMYK output intent,
/// and the pages are RGB.
pub(crate) const CMYK_LOGO: &str =
    "is a CMYK image, which an archival PDF/A file (--pdfa) cannot hold; save it as RGB";

/// krilla's error when it finishes a document, in words: a CMYK logo refused by the PDF/A
/// validator is [`CMYK_LOGO`].
pub(crate) fn finish_error(e: krilla::error::KrillaError) -> crate::error::Error {
    use krilla::configure::ValidationError;
    use krilla::error::KrillaError;
    match &e {
        KrillaError::Validation(errors)
            if errors
                .iter()
                .any(|(v, _)| matches!(v, ValidationError::MissingCMYKProfile)) =>
        {
            crate::error::Error::Pdf(format!("the logo {CMYK_LOGO}"))
        }
        _ => crate::error::Error::Pdf(e.to_string()),
    }
}

/// An ICC v4 sRGB profile.
pub(crate) const SRGB_ICC: &[u8] = include_bytes!("sRGB-v4.icc");

/// krilla's validators: PDF/UA-1, and PDF/A-2a too when `archival`.
pub(crate) fn configuration(archival: bool) -> Configuration {
    let builder = ConfigurationBuilder::new().with_accessibility_validator(Accessibility::UA1);
    let builder = if archival {
        builder.with_archival_validator(Archival::A2_A)
    } else {
        builder
    };
    builder
        .finish()
        .expect("PDF/UA-1 and PDF/A-2a share PDF 1.7")
}

/// The standards the file claims in its XMP metadata: PDF/UA-1, and PDF/A-2a when `archival`.
/// PDF/A allows only the XMP properties it predefines, so the PDF/UA identification
/// (`pdfuaid:part`) is declared in an extension schema, as krilla does.
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
