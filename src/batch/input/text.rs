//! What happens to every header name and cell value right after it is read: line breaks made
//! one kind, letters composed (macOS writes "å" as "a" and a ring), characters that could
//! disguise text refused; and how a name is shown in a message without echoing anything raw.

use std::borrow::Cow;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use crate::chars;

/// CR and CRLF become `\n`; the text is composed (NFC), so "Åse" is one letter "Å" whatever
/// wrote it, and length limits count what the reader sees.
pub fn clean(s: &str) -> Cow<'_, str> {
    let s: Cow<str> = if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    };
    if is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Why `s` cannot be used: a control character (a line break aside), a bidirectional override
/// or a line separator, named but never echoed.
pub fn refused(s: &str) -> Option<String> {
    refused_char(s).map(|p| p.to_string())
}

/// [`refused`], typed.
pub fn refused_char(s: &str) -> Option<super::RowProblem> {
    chars::forbidden(s, true).map(|(ch, why)| super::RowProblem::RefusedChar { ch, why })
}

/// `s` for a message, with invisible characters written as `U+200B`.
pub use crate::chars::shown;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_composition() {
        assert_eq!(clean("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(clean("A\u{030A}se"), "Åse");
        assert!(matches!(clean("Søren"), Cow::Borrowed(_)));
    }

    #[test]
    fn refusals_and_display() {
        assert_eq!(refused("a\nb"), None);
        assert_eq!(
            refused("x\u{1b}[2J").unwrap(),
            "contains U+001B, a control character"
        );
        assert_eq!(
            shown("CPR\u{1b}[2J\u{202E}\u{200B}æ"),
            "CPRU+001B[2JU+202EU+200Bæ"
        );
    }
}
