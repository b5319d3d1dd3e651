//! Sizes, spacing and colours of the handout. Each figure cites why it is what it is.

use crate::color::Color;

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// A text size and the distance between baselines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Font {
    /// Size in points.
    pub size: f32,
    /// Distance between baselines in points.
    pub leading: f32,
}

impl Font {
    const fn new(size: f32, factor: f32) -> Font {
        Font {
            size,
            leading: size * factor,
        }
    }
}

/// Everything layout needs to know about the page and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Page width (A4 portrait).
    pub page_width: f32,
    /// Page height.
    pub page_height: f32,
    /// Left and right margin.
    pub margin_x: f32,
    /// Top margin; nothing is drawn above it.
    pub margin_top: f32,
    /// Bottom margin; nothing is drawn below it.
    pub margin_bottom: f32,
    /// Body text.
    pub body: Font,
    /// The title.
    pub title: Font,
    /// The line under the title.
    pub subtitle: Font,
    /// Section headings.
    pub heading: Font,
    /// Running header and footer.
    pub small: Font,
    /// Space above a section heading.
    pub heading_space: f32,
    /// Space between a heading and its text.
    pub heading_gap: f32,
    /// Space between paragraphs.
    pub paragraph_space: f32,
    /// Space between list items.
    pub item_space: f32,
    /// Indent of list text from the bullet's edge (hanging indent).
    pub list_indent: f32,
    /// Inner padding of framed boxes.
    pub box_padding: f32,
    /// Frame width of the red-flag box.
    pub alert_stroke: f32,
    /// Running text.
    pub text_color: Color,
    /// Title and headings.
    pub heading_color: Color,
    /// Red-flag frame and heading.
    pub alert_color: Color,
    /// Red-flag background tint.
    pub alert_tint: Color,
    /// Frame of the personal note.
    pub note_color: Color,
    /// Header, footer and rules.
    pub muted_color: Color,
    /// Links.
    pub link_color: Color,
}

impl Default for Style {
    fn default() -> Self {
        Style::standard()
    }
}

impl Style {
    /// The standard handout.
    pub fn standard() -> Style {
        Style {
            page_width: 210.0 * MM,
            page_height: 297.0 * MM,
            // 24 mm sides give about 68 characters a line at 14 pt, inside the
            // 50-75 that readability guidance asks for (content-notes §5).
            margin_x: 24.0 * MM,
            // At least 18 mm all round keeps every mark inside any printer's margin.
            margin_top: 18.0 * MM,
            margin_bottom: 18.0 * MM,
            // 14 pt is RNIB Clear Print's preferred size for patient information (12 pt is
            // the minimum); 1.3 sits in the 1.15-1.5 line spacing range (content-notes §5).
            body: Font::new(14.0, 1.3),
            title: Font::new(26.0, 1.15),
            subtitle: Font::new(16.0, 1.3),
            heading: Font::new(18.0, 1.2),
            small: Font::new(10.0, 1.3),
            heading_space: 16.0,
            heading_gap: 5.0,
            paragraph_space: 7.0,
            item_space: 5.0,
            list_indent: 17.0,
            box_padding: 12.0,
            alert_stroke: 2.5,
            text_color: Color(0x11, 0x11, 0x11),
            heading_color: Color(0x0B, 0x3A, 0x66),
            // #B91C1C is 6.5:1 on white: it passes WCAG's 4.5:1 and prints as a dark grey frame
            // in black and white (content-notes §3).
            alert_color: Color(0xB9, 0x1C, 0x1C),
            alert_tint: Color(0xFD, 0xF2, 0xF2),
            note_color: Color(0x55, 0x5F, 0x6D),
            muted_color: Color(0x44, 0x44, 0x44),
            link_color: Color(0x0B, 0x3A, 0x66),
        }
    }

    /// Large print (content-notes §5: 14-16 pt): body 16 pt, everything else scaled with it.
    pub fn large_print() -> Style {
        let s = Style::standard();
        let k = 16.0 / s.body.size;
        let scale = |f: Font| Font {
            size: f.size * k,
            leading: f.leading * k,
        };
        Style {
            // 18 mm sides keep about 64 characters a line at 16 pt.
            margin_x: 18.0 * MM,
            body: scale(s.body),
            title: scale(s.title),
            subtitle: scale(s.subtitle),
            heading: scale(s.heading),
            small: Font {
                size: 12.0,
                leading: 12.0 * 1.3,
            },
            heading_space: s.heading_space * k,
            heading_gap: s.heading_gap * k,
            paragraph_space: s.paragraph_space * k,
            item_space: s.item_space * k,
            list_indent: s.list_indent * k,
            box_padding: s.box_padding * k,
            ..s
        }
    }

    /// This style with the title and headings in a clinic's colour.
    pub fn with_accent(self, accent: Option<Color>) -> Style {
        match accent {
            Some(c) => Style {
                heading_color: c,
                link_color: c,
                ..self
            },
            None => self,
        }
    }

    /// Width of the text column.
    pub fn text_width(&self) -> f32 {
        self.page_width - 2.0 * self.margin_x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::WHITE;

    #[test]
    fn colours_pass_wcag_contrast() {
        let s = Style::standard();
        for c in [
            s.text_color,
            s.heading_color,
            s.alert_color,
            s.muted_color,
            s.note_color,
        ] {
            assert!(c.contrast(WHITE) >= 4.5, "{c:?} has {}", c.contrast(WHITE));
        }
        // Text inside the red-flag box sits on the tint.
        assert!(s.alert_color.contrast(s.alert_tint) >= 4.5);
        assert!(s.text_color.contrast(s.alert_tint) >= 7.0);
        // Bright red would fail (content-notes §3).
        assert!(Color(255, 0, 0).contrast(WHITE) < 4.5);
    }

    #[test]
    fn margins_and_type_meet_the_brief() {
        let s = Style::standard();
        assert!(
            s.margin_x >= 18.0 * MM && s.margin_top >= 18.0 * MM && s.margin_bottom >= 18.0 * MM
        );
        assert!(s.body.size >= 12.0);
        let spacing = s.body.leading / s.body.size;
        assert!((1.15..=1.5).contains(&spacing));
    }
}
