//! Output file names: folded from the patient's name, or given in the `file` column, and never
//! able to leave the output directory.

use unicode_normalization::UnicodeNormalization;

use crate::chars;

/// Longest file name accepted from the `file` column, in bytes (file systems allow 255).
pub const MAX_FILE_NAME: usize = 200;

/// Folds a name to safe ASCII: æ->ae, ø->oe, å->aa, accents dropped, anything else outside
/// `[a-z0-9]` becomes a single `-`.
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
        if !(any || out.ends_with('-') || c.is_alphabetic() || is_combining(c)) {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
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

/// Checks a file name given in the `file` column; adds `.pdf` when missing.
pub fn checked_name(given: &str) -> Result<String, String> {
    let name = given.trim();
    if let Some((c, why)) = chars::forbidden(name, false) {
        return Err(format!("contains {}, {why}", chars::describe(c)));
    }
    if name.contains(['/', '\\']) {
        return Err("must be a file name, not a path (no / or \\)".into());
    }
    if name == "." || name == ".." || name.starts_with('.') {
        return Err("must not start with '.'".into());
    }
    if let Some(c) = name.chars().find(|c| "<>:\"|?*".contains(*c)) {
        return Err(format!(
            "contains '{c}', which file systems do not allow in names"
        ));
    }
    if name.ends_with(' ') || name.ends_with('.') {
        return Err("must not end with a space or '.'".into());
    }
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        return Err(format!("'{stem}' is a reserved device name on Windows"));
    }
    let name = if name.to_ascii_lowercase().ends_with(".pdf") {
        name.to_string()
    } else {
        format!("{name}.pdf")
    };
    if name.len() > MAX_FILE_NAME {
        return Err(format!(
            "is {} bytes long; at most {MAX_FILE_NAME}",
            name.len()
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_danish_and_accents() {
        assert_eq!(slug("Søren Ærø"), "soeren-aeroe");
        assert_eq!(slug("  Åse   Øberg-Hansen "), "aase-oeberg-hansen");
        assert_eq!(slug("René Müller"), "rene-mueller");
        assert_eq!(slug("O'Brien, Łukasz"), "o-brien-lukasz");
        assert_eq!(slug("Nguyễn Thị Ánh"), "nguyen-thi-anh");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("李小龍"), "");
        assert_eq!(default_name(7, Some("Søren Ærø")), "0007-soeren-aeroe.pdf");
        assert_eq!(default_name(12345, Some("李")), "12345.pdf");
        assert_eq!(default_name(3, None), "0003.pdf");
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
        assert!(
            checked_name(&"x".repeat(300))
                .unwrap_err()
                .contains("at most 200")
        );
        assert!(checked_name("console").is_ok());
    }
}
