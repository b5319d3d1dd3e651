//! The inline markup allowed in content text: `**bold**` and footnote references `[^mark]`.
//!
//! Nothing fancier: the guideline's style is bold lead words, and plain-language guidance
//! advises against italics, capitals and underlining for emphasis (content-notes §5).

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text, bold or regular.
    Text {
        /// The text.
        text: String,
        /// Whether it is set in bold.
        bold: bool,
    },
    /// A reference to the footnote with this mark.
    FootnoteRef(String),
}

/// Parses markup into inline pieces, or says what is wrong with it.
pub fn parse(s: &str) -> Result<Vec<Inline>, String> {
    let mut out = Vec::new();
    let mut bold = false;
    let mut buf = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            if bold && buf.is_empty() {
                return Err("empty bold text '****'".into());
            }
            flush(&mut out, &mut buf, bold);
            bold = !bold;
            rest = after;
        } else if let Some(after) = rest.strip_prefix("[^") {
            let end = after
                .find(']')
                .ok_or("footnote reference '[^' is not closed with ']'")?;
            let mark = &after[..end];
            if mark.is_empty() || !mark.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!("footnote mark '{mark}' must be letters or digits"));
            }
            flush(&mut out, &mut buf, bold);
            out.push(Inline::FootnoteRef(mark.to_string()));
            rest = &after[end + 1..];
        } else {
            let ch = rest.chars().next().unwrap_or_default();
            buf.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    if bold {
        return Err("bold text opened with '**' is not closed".into());
    }
    flush(&mut out, &mut buf, bold);
    Ok(out)
}

fn flush(out: &mut Vec<Inline>, buf: &mut String, bold: bool) {
    if !buf.is_empty() {
        out.push(Inline::Text {
            text: std::mem::take(buf),
            bold,
        });
    }
}

/// The text without markup, as a reader sees it (footnote references dropped).
pub fn plain(s: &str) -> String {
    match parse(s) {
        Ok(pieces) => pieces
            .into_iter()
            .filter_map(|p| match p {
                Inline::Text { text, .. } => Some(text),
                Inline::FootnoteRef(_) => None,
            })
            .collect(),
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, bold: bool) -> Inline {
        Inline::Text {
            text: t.into(),
            bold,
        }
    }

    #[test]
    fn bold_lead_words() {
        assert_eq!(
            parse("**Forstå din smerte.** Viden hjælper.").unwrap(),
            vec![
                text("Forstå din smerte.", true),
                text(" Viden hjælper.", false)
            ]
        );
    }

    #[test]
    fn footnote_reference() {
        assert_eq!(
            parse("nociceptive,[^1] og").unwrap(),
            vec![
                text("nociceptive,", false),
                Inline::FootnoteRef("1".into()),
                text(" og", false)
            ]
        );
    }

    #[test]
    fn errors() {
        assert!(parse("**åben").unwrap_err().contains("not closed"));
        assert!(parse("a **** b").unwrap_err().contains("empty bold"));
        assert!(parse("x[^1").unwrap_err().contains("not closed"));
        assert!(parse("x[^ä]").unwrap_err().contains("letters or digits"));
    }

    #[test]
    fn plain_drops_markup() {
        assert_eq!(plain("**Hold** dig[^2] aktiv"), "Hold dig aktiv");
    }
}
