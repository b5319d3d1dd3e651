//! Output file names: folded from the patient's name, or given in the `file` column, and never
//! able to leave the output directory.
//!
//! Names in Greek and Cyrillic (and Latin letters without an ASCII base, like þ) are
//! transliterated with `deunicode`, so `Иван Петров` gets `ivan-petrov`, not a bare row number.
//! A small table goes first: Danish spells æ, ø, å as ae, oe, aa (and German ä, ö, ü likewise),
//! where `deunicode` writes ae, o, a. Other scripts stay out of the name (the row number alone):
//! a Chinese character has no one reading (Mandarin, Cantonese, Japanese), and Arabic and Hebrew
//! are written without most vowels, so a guess would mislead more than it helps.

use unicode_normalization::UnicodeNormalization;

use crate::chars;

/// Longest file name accepted from the `file` column, in bytes (file systems allow 255).
pub const MAX_FILE_NAME: usize = 200;

/// Folds a name to safe ASCII: æ->ae, ø->oe, å->aa, accents dropped, Greek and Cyrillic
/// transliterated, anything else outside `[a-z0-9]` becomes a single `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let folded: &str = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' | 'œ' => "oe",
            'å' => "aa",
            'ü' => "ue",
            'ß' => "ss",
            'đ' => "d",
            'ł' => "l",
            _ => "",
        };
        if !folded.is_empty() {
            out.push_str(folded);
            continue;
        }
        // Decompose (é -> e + ́) and keep the ASCII letters and digits.
        let mut any = false;
        for d in c.nfd() {
            if d.is_ascii_alphanumeric() {
                out.push(d);
                any = true;
            }
        }
        if !any && is_transliterated(c) {
            // Letters only: the soft sign comes out as an apostrophe (Ольга -> Ol'ga).
            let letters = deunicode::deunicode_char(c).unwrap_or("");
            for l in letters.chars().filter(char::is_ascii_alphanumeric) {
                out.push(l.to_ascii_lowercase());
                any = true;
            }
        }
        if !(any || out.ends_with('-') || c.is_alphabetic() || is_combining(c)) {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Letters of the alphabetic scripts spelled letter by letter in ASCII: Latin, Greek, Cyrillic.
fn is_transliterated(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c,
            '\u{00C0}'..='\u{024F}' // Latin-1 letters, Latin Extended-A and -B
            | '\u{1E00}'..='\u{1EFF}' // Latin Extended Additional
            | '\u{0370}'..='\u{03FF}' // Greek
            | '\u{1F00}'..='\u{1FFF}' // Greek Extended (polytonic)
            | '\u{0400}'..='\u{052F}' // Cyrillic and its supplement
        )
}

fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The default file name of a row: `0007-soeren-aeroe.pdf`, or `0007.pdf` without a name.
pub fn default_name(row: u64, patient: Option<&str>) -> String {
    let slug = patient.map(slug).unwrap_or_default();
    let slug: String = slug.chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("{row:04}.pdf")
    } else {
        format!("{row:04}-{slug}.pdf")
    }
}

/// A file name as messages show it: a default name without the patient's name in it
/// (`0007-….pdf`), so errors and logs never repeat patient data; other names as they are.
pub fn shown(file: &str) -> String {
    let default_shape = file
        .strip_suffix(".pdf")
        .and_then(|s| s.split_once('-'))
        .filter(|(row, slug)| {
            row.len() >= 4
                && row.bytes().all(|b| b.is_ascii_digit())
                && !slug.is_empty()
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    match default_shape {
        Some((row, _)) => format!("{row}-….pdf"),
        None => file.to_string(),
    }
}

/// Why a file name cannot be used. Its `Display` is the command line's English; an edge may say
/// it in its own words. No variant holds more of the name than a character or a device name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileNameProblem {
    /// A character refused everywhere ([`chars::forbidden`]): a control character, a line
    /// break, a bidirectional override.
    Forbidden {
        /// The character (only its code is ever shown).
        ch: char,
        /// Why, in English, e.g. `a control character`.
        why: &'static str,
    },
    /// A `/` or `\`: a path, not a name.
    Path,
    /// A character that cannot be seen or passes for a slash (U+200B, U+2215).
    Disguising(char),
    /// Starts with `.` (a hidden file, or `.` and `..`).
    LeadingDot,
    /// One of `<>:"|?*`, which file systems do not allow.
    Illegal(char),
    /// Ends with a space or `.`, which Windows drops.
    TrailingSpaceOrDot,
    /// A Windows device name (`CON`, `aux`, `COM¹`), as typed: one of a few fixed words, never
    /// anything else of the name.
    ReservedDevice(String),
    /// Longer than [`MAX_FILE_NAME`] bytes with `.pdf` added.
    TooLong {
        /// The length in bytes.
        len: usize,
    },
}

impl std::fmt::Display for FileNameProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileNameProblem::Forbidden { ch, why } => {
                write!(f, "contains {}, {why}", chars::describe(*ch))
            }
            FileNameProblem::Path => f.write_str("must be a file name, not a path (no / or \\)"),
            FileNameProblem::Disguising(c) => write!(
                f,
                "contains {}, which looks like a slash or cannot be seen; remove it",
                chars::describe(*c)
            ),
            FileNameProblem::LeadingDot => f.write_str("must not start with '.'"),
            FileNameProblem::Illegal(c) => {
                write!(
                    f,
                    "contains '{c}', which file systems do not allow in names"
                )
            }
            FileNameProblem::TrailingSpaceOrDot => f.write_str("must not end with a space or '.'"),
            FileNameProblem::ReservedDevice(device) => {
                write!(f, "'{device}' is a reserved device name on Windows")
            }
            FileNameProblem::TooLong { len } => {
                write!(f, "is {len} bytes long; at most {MAX_FILE_NAME}")
            }
        }
    }
}

/// Checks a file name given in the `file` column; adds `.pdf` when missing.
pub fn checked_name(given: &str) -> Result<String, FileNameProblem> {
    let name = given.trim();
    if let Some((ch, why)) = chars::forbidden(name, false) {
        return Err(FileNameProblem::Forbidden { ch, why });
    }
    if name.contains(['/', '\\']) {
        return Err(FileNameProblem::Path);
    }
    if let Some(c) = name.chars().find(|c| is_disguising(*c)) {
        return Err(FileNameProblem::Disguising(c));
    }
    if name == "." || name == ".." || name.starts_with('.') {
        return Err(FileNameProblem::LeadingDot);
    }
    if let Some(c) = name.chars().find(|c| "<>:\"|?*".contains(*c)) {
        return Err(FileNameProblem::Illegal(c));
    }
    if name.ends_with(' ') || name.ends_with('.') {
        return Err(FileNameProblem::TrailingSpaceOrDot);
    }
    if let Some(device) = reserved_device(name) {
        return Err(FileNameProblem::ReservedDevice(device));
    }
    let name = if name.to_ascii_lowercase().ends_with(".pdf") {
        name.to_string()
    } else {
        format!("{name}.pdf")
    };
    if name.len() > MAX_FILE_NAME {
        return Err(FileNameProblem::TooLong { len: name.len() });
    }
    Ok(name)
}

/// Characters that hide in a name (zero-width, invisible) or pass for a path separator.
fn is_disguising(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            // Slashes and backslashes in other clothes.
            | '\u{2044}'
            | '\u{2215}'
            | '\u{2216}'
            | '\u{29F5}'
            | '\u{29F8}'
            | '\u{29F9}'
            | '\u{FE68}'
            | '\u{FF0F}'
            | '\u{FF3C}'
    )
}

/// The Windows device name a file name stands for, if any. Windows ignores what follows the
/// first dot and trailing spaces before it, and counts superscript digits: `AUX .pdf`,
/// `com¹.pdf` and `CONIN$` are devices.
fn reserved_device(name: &str) -> Option<String> {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches(' ');
    let upper = stem.to_uppercase();
    let numbered = |prefix: &str| {
        upper.strip_prefix(prefix).is_some_and(|n| {
            let mut cs = n.chars();
            matches!(
                (cs.next(), cs.next()),
                (Some('0'..='9' | '¹' | '²' | '³'), None)
            )
        })
    };
    let reserved = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(&upper.as_str())
        || numbered("COM")
        || numbered("LPT");
    reserved.then(|| stem.to_string())
}

/// The key under which a file name is claimed: names equal after Unicode normalisation (NFC)
/// and case folding are one file on macOS and Windows.
pub fn file_key(name: &str) -> String {
    name.to_lowercase().nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_slugs(cases: &[(&str, &str)]) {
        for (name, expected) in cases {
            assert_eq!(slug(name), *expected, "{name}");
        }
    }

    #[test]
    fn folds_danish_and_accents() {
        assert_slugs(&[
            ("Søren Ærø", "soeren-aeroe"),
            ("  Åse   Øberg-Hansen ", "aase-oeberg-hansen"),
            ("René Müller", "rene-mueller"),
            ("O'Brien, Łukasz", "o-brien-lukasz"),
            ("Nguyễn Thị Ánh", "nguyen-thi-anh"),
            ("../../etc/passwd", "etc-passwd"),
            // No guessed reading.
            ("李小龍", ""),
            ("مريم", ""),
        ]);
        assert_eq!(default_name(7, Some("Søren Ærø")), "0007-soeren-aeroe.pdf");
        assert_eq!(default_name(12345, Some("李")), "12345.pdf");
        assert_eq!(default_name(3, None), "0003.pdf");
    }

    #[test]
    fn transliterates_greek_and_cyrillic() {
        assert_slugs(&[
            ("Иван Петров", "ivan-petrov"),
            ("Ольга Смирнова", "olga-smirnova"),
            ("Юлия Щербакова-Жукова", "iuliia-shcherbakova-zhukova"),
            ("Γιώργος Παπαδόπουλος", "giorgos-papadopoulos"),
            ("ΘΕΟΔΩΡΟΣ", "theodoros"),
            ("Þóra Guðmundsdóttir", "thora-gudmundsdottir"),
            // Danish as before.
            ("Søren Ærø Åse", "soeren-aeroe-aase"),
        ]);
        assert_eq!(default_name(1, Some("Иван Петров")), "0001-ivan-petrov.pdf");
    }

    #[test]
    fn shown_without_the_patients_name() {
        for (name, expected) in [
            ("0007-soeren-aeroe.pdf", "0007-….pdf"),
            ("12345-li-2.pdf", "12345-….pdf"),
            ("0003.pdf", "0003.pdf"),
            ("faelles.pdf", "faelles.pdf"),
            ("Kontrol-Anna.pdf", "Kontrol-Anna.pdf"),
        ] {
            assert_eq!(shown(name), expected);
        }
    }

    #[test]
    fn file_names_cannot_escape() {
        assert_eq!(checked_name("soeren").unwrap(), "soeren.pdf");
        assert_eq!(checked_name("Søren.PDF").unwrap(), "Søren.PDF");
        for bad in [
            "../x",
            "a/b",
            "a\\b",
            "..",
            ".hidden",
            "/etc/passwd",
            "CON",
            "nul.pdf",
            "com1",
            "x:y",
            "a\u{202E}fdp.exe",
            "a\tb",
            "trailing.",
        ] {
            assert!(checked_name(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(
            checked_name(&"x".repeat(300)),
            Err(FileNameProblem::TooLong { len: 304 })
        );
        assert!(checked_name("console").is_ok());
        assert!(checked_name("com10").is_ok() && checked_name("auxiliary").is_ok());
    }

    #[test]
    fn windows_devices_in_disguise() {
        for bad in [
            "AUX .pdf",
            "aux  ",
            "COM¹",
            "lpt².pdf",
            "LPT³",
            "CONIN$",
            "conout$.pdf",
            "Nul.tar.pdf",
        ] {
            let e = checked_name(bad).unwrap_err();
            assert!(
                matches!(e, FileNameProblem::ReservedDevice(_)),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn invisible_characters_and_look_alike_slashes() {
        for bad in [
            "an\u{200B}na",
            "a\u{200D}b",
            "a\u{2060}b",
            "\u{FEFF}x",
            "a\u{00AD}b",
            "etc\u{2215}passwd",
            "a\u{2044}b",
            "a\u{FF0F}b",
            "a\u{FF3C}b",
        ] {
            let e = checked_name(bad).unwrap_err();
            assert!(matches!(e, FileNameProblem::Disguising(_)), "{bad:?}: {e}");
        }
    }

    /// Each problem, typed, and the command line's English for it, word for word as before the
    /// problems were typed.
    #[test]
    fn every_problem_is_typed_and_said_in_the_command_lines_english() {
        let long = format!("{}.pdf", "x".repeat(197));
        for (given, problem, english) in [
            (
                "a\nb",
                FileNameProblem::Forbidden {
                    ch: '\n',
                    why: "a control character",
                },
                "contains U+000A, a control character",
            ),
            (
                "a\u{202E}fdp.exe",
                FileNameProblem::Forbidden {
                    ch: '\u{202E}',
                    why: "a bidirectional override, which can disguise text",
                },
                "contains U+202E, a bidirectional override, which can disguise text",
            ),
            (
                "../x",
                FileNameProblem::Path,
                "must be a file name, not a path (no / or \\)",
            ),
            (
                "a\\b",
                FileNameProblem::Path,
                "must be a file name, not a path (no / or \\)",
            ),
            (
                "etc\u{2215}passwd",
                FileNameProblem::Disguising('\u{2215}'),
                "contains U+2215 '\u{2215}', which looks like a slash or cannot be seen; remove it",
            ),
            (
                "an\u{200B}na",
                FileNameProblem::Disguising('\u{200B}'),
                "contains U+200B, which looks like a slash or cannot be seen; remove it",
            ),
            (
                ".hidden",
                FileNameProblem::LeadingDot,
                "must not start with '.'",
            ),
            (
                "x:y",
                FileNameProblem::Illegal(':'),
                "contains ':', which file systems do not allow in names",
            ),
            (
                "trailing.",
                FileNameProblem::TrailingSpaceOrDot,
                "must not end with a space or '.'",
            ),
            (
                "Nul.tar.pdf",
                FileNameProblem::ReservedDevice("Nul".into()),
                "'Nul' is a reserved device name on Windows",
            ),
            (
                &long,
                FileNameProblem::TooLong { len: 201 },
                "is 201 bytes long; at most 200",
            ),
        ] {
            let e = checked_name(given).unwrap_err();
            assert_eq!(e, problem, "{given:?}");
            assert_eq!(e.to_string(), english, "{given:?}");
        }
        assert_eq!(checked_name(&"x".repeat(196)).unwrap().len(), 200);
    }

    #[test]
    fn one_file_whatever_the_case_or_normalisation() {
        assert_eq!(file_key("Anna.pdf"), file_key("anna.PDF"));
        assert_eq!(file_key("Ren\u{00E9}.pdf"), file_key("Rene\u{0301}.pdf"));
        assert_eq!(file_key("RENE\u{0301}.pdf"), file_key("ren\u{00E9}.pdf"));
        assert_ne!(file_key("rene.pdf"), file_key("ren\u{00E9}.pdf"));
    }
}
