//! Sizes, spacing and colours of the handout. Each figure cites why it is what it is.

use crate::color::Color;

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// The red-flag box's red before it is darkened under the headings: CSS "darkred", 10:1 on
/// white (WCAG asks 4.5:1, the issue 7:1).
const ALERT_RED: Color = Color(0x8B, 0x00, 0x00);
/// How much darker in grey the red-flag heading is than every other heading: a visible step.
const ALERT_DARKER_BY: f32 = 12.0;
/// The darkest the red may get; darker still it reads as black in colour.
const ALERT_DARKEST: u8 = 0x40;

/// The red-flag colour for pages whose headings are in `heading`: [`ALERT_RED`], darkened until
/// it prints [`ALERT_DARKER_BY`] darker in greyscale, so in black and white the warning is still
/// the darkest heading on its page (issue 11: the red printed paler than the blue headings).
pub fn alert_under(heading: Color) -> Color {
    let target = heading.grey() - ALERT_DARKER_BY;
    let mut red = ALERT_RED;
    while red.grey() > target && red.0 > ALERT_DARKEST {
        red.0 -= 1;
    }
    red
}

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
    /// Frame width of the red-flag box: the heaviest line on the page.
    pub alert_stroke: f32,
    /// Frame width of the personal note's box.
    pub note_stroke: f32,
    /// Running text.
    pub text_color: Color,
    /// Title and headings.
    pub heading_color: Color,
    /// Red-flag frame, heading and warning sign.
    pub alert_color: Color,
    /// Red-flag background tint.
    pub alert_tint: Color,
    /// Frame of the personal note.
    pub note_color: Color,
    /// Heading of the personal note.
    pub note_heading_color: Color,
    /// Header, footer and rules.
    pub muted_color: Color,
    /// Links.
    pub link_color: Color,
}

/// Title, headings and links: a dark blue, 11.6:1 on white.
const HEADING: Color = Color(0x0B, 0x3A, 0x66);

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
            // Three times the other frames: in black and white, where the tint vanishes on a
            // laser printer, the frame still marks the warning (content-notes §3).
            alert_stroke: 3.0,
            note_stroke: 0.75,
            text_color: Color(0x11, 0x11, 0x11),
            heading_color: HEADING,
            // #7A0000: 11.5:1 on white, greyscale 37 under the headings' 49 (see `alert_under`).
            alert_color: alert_under(HEADING),
            alert_tint: Color(0xFD, 0xF2, 0xF2),
            // The note is the therapist's own word, not a warning: a light frame (3.1:1, as
            // WCAG 1.4.11 asks of a graphic) and a slate heading (7.6:1, greyscale 84), both
            // quieter than the red-flag box's in black and white.
            note_color: Color(0x8C, 0x93, 0x9E),
            note_heading_color: Color(0x4B, 0x55, 0x63),
            muted_color: Color(0x44, 0x44, 0x44),
            link_color: HEADING,
        }
    }

    /// Large print: body 18 pt, headings and spacing scaled with it, the standard margins. RNIB
    /// Clear Print puts large print at 16-18 pt; 16 pt gained only 14 % on the standard 14 pt
    /// (issue 11), 18 pt gains 29 %. Lines hold about 55 characters, at the short end of the
    /// 50-75 readability range (content-notes §5); more pages are the price.
    pub fn large_print() -> Style {
        let s = Style::standard();
        let k = 18.0 / s.body.size;
        let scale = |f: Font| Font {
            size: f.size * k,
            leading: f.leading * k,
        };
        Style {
            body: scale(s.body),
            // The title grows less (26 -> 30 pt), so it still fits on one line: broken in two it
            // reads worse, and takes page 1 room the red-flag box needs.
            title: Font::new(30.0, s.title.leading / s.title.size),
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

    /// This style with the title and headings in a clinic's colour, and the red-flag colour
    /// darkened under it where the accent is dark.
    pub fn with_accent(self, accent: Option<Color>) -> Style {
        match accent {
            Some(c) => Style {
                heading_color: c,
                link_color: c,
                alert_color: alert_under(c),
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
            s.note_heading_color,
        ] {
            assert!(c.contrast(WHITE) >= 4.5, "{c:?} has {}", c.contrast(WHITE));
        }
        // The note's frame is a graphic: WCAG 1.4.11 asks 3:1.
        assert!(s.note_color.contrast(WHITE) >= 3.0);
        // Text inside the red-flag box sits on the tint; the issue asks 7:1 of the red.
        assert!(s.alert_color.contrast(s.alert_tint) >= 7.0);
        assert!(s.alert_color.contrast(WHITE) >= 7.0);
        assert!(s.text_color.contrast(s.alert_tint) >= 7.0);
        // Bright red would fail (content-notes §3).
        assert!(Color(255, 0, 0).contrast(WHITE) < 4.5);
    }

    /// In black and white the red-flag heading prints darker than the headings, whatever the
    /// clinic's accent (down to a near-black one), and its frame is the heaviest.
    #[test]
    fn the_warning_is_the_darkest_heading_in_greyscale() {
        let s = Style::standard();
        assert!(s.alert_color.grey() <= s.heading_color.grey() - ALERT_DARKER_BY);
        assert!(s.alert_color.grey() < s.note_heading_color.grey());
        assert!(s.alert_stroke > s.note_stroke);
        for accent in [
            Color(0x1D, 0x4E, 0x3A),
            Color(0x0B, 0x3A, 0x66),
            Color(0x33, 0x33, 0x33),
            Color(0x6B, 0x21, 0xA8),
        ] {
            let s = Style::standard().with_accent(Some(accent));
            assert!(
                s.alert_color.grey() <= accent.grey() - ALERT_DARKER_BY,
                "{accent:?}: {:?}",
                s.alert_color
            );
            assert!(s.alert_color.contrast(WHITE) >= 7.0);
            assert!(
                s.alert_color.0 > 2 * s.alert_color.1.max(s.alert_color.2),
                "still red"
            );
        }
        // The red is as red as it may be when the headings allow it.
        assert_eq!(alert_under(Color(0x90, 0x90, 0x90)), ALERT_RED);
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
