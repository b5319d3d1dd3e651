//! Characters that must never reach a handout.
//!
//! Control characters break lines unpredictably or print as nothing; bidirectional
//! overrides (U+202A-U+202E, U+2066-U+2069) can make a name or file name display as
//! something else than what it is. Both are rejected wherever text enters pjece.

/// The first forbidden character in `s` with the reason, if any. A line feed is allowed only
/// where `allow_newline` is set (free-text notes).
pub fn forbidden(s: &str, allow_newline: bool) -> Option<(char, &'static str)> {
    s.chars().find_map(|c| match c {
        '\n' if allow_newline => None,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some((c, "a bidirectional override, which can disguise text"))
        }
        '\u{2028}' | '\u{2029}' => Some((c, "a line or paragraph separator")),
        c if c.is_control() => Some((c, "a control character")),
        _ => None,
    })
}

/// `U+00E6 'æ'` style description of a character for error messages.
pub fn describe(c: char) -> String {
    if c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
    {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_controls_and_overrides() {
        assert_eq!(forbidden("Søren\u{202E}", false).unwrap().0, '\u{202E}');
        assert_eq!(forbidden("a\u{2067}b", false).unwrap().0, '\u{2067}');
        assert_eq!(forbidden("a\tb", false).unwrap().0, '\t');
        assert_eq!(forbidden("a\nb", false).unwrap().0, '\n');
        assert!(forbidden("a\nb", true).is_none());
        assert!(forbidden("Nguyễn Thị Ánh, Łukasz O'Brien-Groß", false).is_none());
    }

    #[test]
    fn describes() {
        assert_eq!(describe('æ'), "U+00E6 'æ'");
        assert_eq!(describe('\u{202E}'), "U+202E");
    }
}
