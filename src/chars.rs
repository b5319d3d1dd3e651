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

/// `U+00E6 'æ'` style description of a character for error messages; a character that cannot
/// be seen (or would act on the terminal) is only `U+200B`, never printed itself.
pub fn describe(c: char) -> String {
    if is_invisible(c) || unicode_normalization::char::is_combining_mark(c) {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

/// `s` for a message: characters that would not show, or would act on the terminal (escape
/// sequences, overrides, zero-width and other format characters, spaces other than the plain
/// one), written as `U+001B`.
pub fn shown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a character shows as nothing, as a blank that is not a space, or acts on the
/// terminal instead of showing.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E000}'..='\u{F8FF}'
            | '\u{E0000}'..='\u{E0FFF}' | '\u{F0000}'..='\u{10FFFF}')
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
    fn describes_visible_characters_and_only_names_invisible_ones() {
        assert_eq!(describe('æ'), "U+00E6 'æ'");
        assert_eq!(describe('¿'), "U+00BF '¿'");
        // Found by a tester: a zero-width space was printed between the quotes.
        for c in [
            '\u{202E}',
            '\u{200B}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{00A0}',
            '\u{3000}',
            '\u{1B}',
            '\u{85}',
            '\u{0301}',
            '\u{E0041}',
            '\u{F8FF}',
            '\u{2028}',
        ] {
            assert_eq!(describe(c), format!("U+{:04X}", c as u32));
        }
        assert_eq!(
            shown("CPR\u{1b}[2J\u{202E}\u{200B}\u{a0}æ A\u{30A}"),
            "CPRU+001B[2JU+202EU+200BU+00A0æ A\u{30A}"
        );
    }
}
