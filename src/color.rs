//! Colours, their WCAG 2.1 contrast and their grey in print: the handout's style, a clinic's
//! accent colour and the PDF writer all use them, so they belong to none of the stages.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color(pub u8, pub u8, pub u8);

/// White, the paper every colour is checked against.
pub const WHITE: Color = Color(255, 255, 255);

impl Color {
    /// Parses `#RRGGBB`, ignoring surrounding spaces.
    pub fn from_hex(s: &str) -> Option<Color> {
        let hex = s.trim().strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Color(v(0)?, v(2)?, v(4)?))
    }

    /// WCAG 2.1 relative luminance.
    pub fn luminance(self) -> f32 {
        let channel = |c: u8| {
            let c = c as f32 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG 2.1 contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Color) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The grey (0 black to 255 white) a black-and-white print makes of it: poppler's
    /// `pdftoppm -gray` and most printer drivers weigh the channels 0.3, 0.59 and 0.11.
    pub fn grey(self) -> f32 {
        0.3 * self.0 as f32 + 0.59 * self.1 as f32 + 0.11 * self.2 as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_need_the_hash_and_six_digits() {
        assert_eq!(Color::from_hex("#b91c1c"), Some(Color(0xB9, 0x1C, 0x1C)));
        assert_eq!(Color::from_hex(" #0B3A66 "), Some(Color(0x0B, 0x3A, 0x66)));
        assert_eq!(Color::from_hex("b91c1c"), None);
        assert_eq!(Color::from_hex("#b91c1"), None);
        assert_eq!(Color::from_hex("#b91c1g"), None);
    }

    #[test]
    fn contrast_follows_wcag() {
        // The extremes of the scale, and the WCAG example of mid grey (#777777 is 4.48:1).
        assert!((Color(0, 0, 0).contrast(WHITE) - 21.0).abs() < 0.01);
        assert!((WHITE.contrast(WHITE) - 1.0).abs() < 1e-6);
        let grey = Color(0x77, 0x77, 0x77).contrast(WHITE);
        assert!((grey - 4.48).abs() < 0.01, "{grey}");
        // Symmetric.
        let red = Color(0xB9, 0x1C, 0x1C);
        assert_eq!(red.contrast(WHITE), WHITE.contrast(red));
    }
}
