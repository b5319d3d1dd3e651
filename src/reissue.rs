//! A handout's choices carried inside its PDF, so a therapist can make it again (`pjece serve`
//! fills its form from a dropped handout). They sit in the catalog's page-piece dictionary
//! (`/PieceInfo << /pjece << /LastModified … /Private << /Version 1 /Choices (JSON) >> >> >>`,
//! PDF 1.7 §14.5), not in an embedded file, which PDF/A-2 would forbid.
//!
//! The record holds what the handout prints and nothing else: the JSON API's keys
//! (docs/api.md), without the date (a re-issued handout has today's) and without defaults.

use serde_json::{Map, Value, json};

use crate::content::{Audience, Variant};
use crate::select::Choices;

/// The record's format; a reader refuses a newer one rather than guess.
pub const VERSION: i64 = 1;
/// The key in `/PieceInfo` that names this program's data.
pub const PIECE: &[u8] = b"pjece";

/// The record of `choices`, as JSON with the API's keys.
pub fn record(choices: &Choices) -> String {
    let mut o = Map::new();
    o.insert("region".into(), json!(choices.region.name()));
    if choices.variant == Variant::Short {
        o.insert("variant".into(), json!("short"));
    }
    if choices.audience == Audience::Therapist {
        o.insert("audience".into(), json!("therapist"));
    }
    // A blank text prints nothing, so the same handout gets the same record (and bytes).
    let mut text = |key: &str, value: &Option<String>| {
        if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
            o.insert(key.into(), json!(v));
        }
    };
    text("name", &choices.patient);
    text("therapist", &choices.therapist);
    text("note", &choices.note);
    text("qr", &choices.qr_url);
    if let Some(advice) = &choices.advice {
        // An empty list is a choice too (none of the advice), unlike an empty `omit`.
        o.insert("advice".into(), json!(advice));
    }
    for (key, items) in [
        ("omit", &choices.omit),
        ("goals", &choices.goals),
        ("steps", &choices.steps),
    ] {
        let printed: Vec<&String> = items.iter().filter(|i| !i.trim().is_empty()).collect();
        if !printed.is_empty() {
            o.insert(key.into(), json!(printed));
        }
    }
    if let Some(next) = choices.next {
        o.insert(
            "next".into(),
            json!(next.strftime("%Y-%m-%d %H:%M").to_string()),
        );
    }
    for (key, on) in [
        ("blank_goals", choices.blank_goals),
        ("ladder", choices.ladder),
        ("no_qr", choices.no_qr),
        ("large_print", choices.large_print),
    ] {
        if on {
            o.insert(key.into(), json!(true));
        }
    }
    Value::Object(o).to_string()
}

/// Why a PDF gave no choices back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a PDF at all.
    NotPdf,
    /// A PDF cut off before its end.
    Truncated,
    /// A PDF that cannot be read.
    Damaged,
    /// A PDF without pjece's record (made by another program, or by pjece before it had one).
    NotMadeByPjece,
    /// A record of a newer format than this program reads.
    NewerVersion(i64),
}

/// The choices recorded in a handout made by pjece, as the JSON object [`record`] wrote; the
/// caller checks them like any input.
pub fn read(pdf: &[u8]) -> Result<Map<String, Value>, ReadError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(ReadError::NotPdf);
    }
    // lopdf may rebuild a cut-off file from what is left; a handout always ends in %%EOF.
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(ReadError::Truncated);
    }
    // A parser's panic on a hostile file is that file's fault, not the server's.
    let doc = std::panic::catch_unwind(|| lopdf::Document::load_mem(pdf))
        .map_err(|_| ReadError::Damaged)?
        .map_err(|_| ReadError::Damaged)?;
    let catalog = doc.catalog().map_err(|_| ReadError::Damaged)?;
    fn dict<'a>(
        doc: &'a lopdf::Document,
        object: &'a lopdf::Object,
    ) -> Option<&'a lopdf::Dictionary> {
        doc.dereference(object).ok()?.1.as_dict().ok()
    }
    let private = catalog
        .get(b"PieceInfo")
        .ok()
        .and_then(|o| dict(&doc, o))
        .and_then(|p| p.get(PIECE).ok())
        .and_then(|o| dict(&doc, o))
        .and_then(|p| p.get(b"Private").ok())
        .and_then(|o| dict(&doc, o))
        .ok_or(ReadError::NotMadeByPjece)?;
    let version = private
        .get(b"Version")
        .and_then(|v| v.as_i64())
        .map_err(|_| ReadError::NotMadeByPjece)?;
    if version > VERSION {
        return Err(ReadError::NewerVersion(version));
    }
    let text = private
        .get(b"Choices")
        .and_then(|c| c.as_str())
        .map_err(|_| ReadError::NotMadeByPjece)?;
    match serde_json::from_slice(text) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(ReadError::NotMadeByPjece),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Region;

    /// A blank field prints nothing, so it is not in the record: the handout's bytes are the
    /// same with it or without it (found by the property test of personal fields).
    #[test]
    fn blank_fields_are_left_out_of_the_record() {
        let plain = Choices::new(Region::Lumbar, jiff::civil::date(2026, 12, 3));
        let mut blank = plain.clone();
        blank.patient = Some("  ".into());
        blank.note = Some(String::new());
        blank.goals = vec![" ".into()];
        assert_eq!(record(&blank), record(&plain));
        assert_eq!(record(&plain), r#"{"region":"lumbar"}"#);
    }

    #[test]
    fn a_pdf_without_the_record_or_cut_off_is_refused_by_kind() {
        assert_eq!(read(b"hello"), Err(ReadError::NotPdf));
        assert_eq!(read(b"%PDF-1.7\n1 0 obj"), Err(ReadError::Truncated));
    }
}
