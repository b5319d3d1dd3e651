//! Running headers and footers, added last because they need the page count (as Typst's
//! pages/finalize.rs does). All of them are artifacts: a screen reader reads the content once,
//! not "Side 2 af 3" on every page.

use std::sync::Arc;

use super::flow::baseline_offset;
use super::line_cache::LineCache;
use super::linebreak::{Ink, Line, Styled, break_lines};
use super::{ArtifactKind, Item, Page, Positioned, Rect, Role};
use crate::error::Error;
use crate::fonts::Weight;
use crate::handout::Handout;
use crate::layout::{Shaper, Style};

/// Gap between the footer's rule and its first line.
const RULE_GAP: f32 = 6.0;

/// The measured footer: the lines that are the same on every page.
pub struct Footer {
    source: Arc<Vec<Line>>,
    version: Arc<Vec<Line>>,
    /// Height above the bottom margin, rule included.
    pub height: f32,
}

/// What header and footer lines are broken with: every one is set in the small, muted type.
pub struct SmallPrint<'a, 'f> {
    pub shaper: &'a mut Shaper<'f>,
    pub cache: &'a LineCache,
    pub style: &'a Style,
}

impl SmallPrint<'_, '_> {
    /// `text` broken into lines no wider than `width`; `field` names it in errors.
    fn lines(&mut self, text: &str, width: f32, field: &str) -> Result<Arc<Vec<Line>>, Error> {
        self.cache.break_lines(
            self.shaper,
            &Styled::plain(text, Weight::Regular),
            Ink {
                size: self.style.small.size,
                color: self.style.muted_color,
            },
            width,
            field,
        )
    }
}

fn page_label(template: &str, page: usize, pages: usize) -> String {
    template
        .replace("{page}", &page.to_string())
        .replace("{pages}", &pages.to_string())
}

impl Footer {
    /// Breaks the footer lines; the version line leaves room for the page number beside it.
    pub fn measure(handout: &Handout, small: &mut SmallPrint) -> Result<Footer, Error> {
        let font = small.style.small;
        let width = small.style.text_width();
        let widest_number = page_label(&handout.page_of, 888, 888);
        let number = small.lines(&widest_number, f32::INFINITY, "the page number")?;
        let reserve = number.first().map_or(0.0, |l| l.width) + 12.0;
        // Every footer line but the last takes the full width; the last shares its row with
        // the page number.
        let (version_text, full) = handout
            .footer
            .split_last()
            .map_or((String::new(), &[][..]), |(l, f)| (l.clone(), f));
        let mut lines = Vec::new();
        for text in full {
            lines.extend(small.lines(text, width, "the footer")?.iter().cloned());
        }
        let source = Arc::new(lines);
        let version = small.lines(&version_text, width - reserve, "the footer")?;
        let rows = source.len() + version.len().max(1);
        let height = RULE_GAP + rows as f32 * font.leading + 12.0;
        Ok(Footer {
            source,
            version,
            height,
        })
    }

    /// Draws the footer of page `page` of `pages`.
    pub fn draw(
        &self,
        page: &mut Page,
        number: usize,
        pages: usize,
        shaper: &mut Shaper,
        style: &Style,
        handout: &Handout,
    ) -> Result<(), Error> {
        let font = style.small;
        let x = style.margin_x;
        let bottom = style.page_height - style.margin_bottom;
        let top = bottom - (self.height - 12.0);
        let footer = Role::Artifact(ArtifactKind::Footer);
        page.items.push(Positioned {
            x,
            y: top,
            item: Item::Rect(Rect {
                width: style.text_width(),
                height: 0.75,
                fill: Some(style.muted_color),
                stroke: None,
            }),
            role: footer,
        });
        let (asc, desc) = shaper.vertical_metrics(Weight::Regular);
        let baseline = |row: usize| {
            top + RULE_GAP
                + row as f32 * font.leading
                + (font.leading - (asc + desc) * font.size) / 2.0
                + asc * font.size
        };
        let mut row = 0;
        for line in self.source.iter() {
            push_line(page, line, x, baseline(row), footer);
            row += 1;
        }
        let number_row = row;
        for line in self.version.iter() {
            push_line(page, line, x, baseline(row), footer);
            row += 1;
        }
        let label = page_label(&handout.page_of, number, pages);
        let lines = break_lines(
            shaper,
            &Styled::plain(&label, Weight::Regular),
            Ink {
                size: font.size,
                color: style.muted_color,
            },
            f32::INFINITY,
            "the page number",
        )?;
        if let Some(line) = lines.first() {
            let right = style.page_width - style.margin_x - line.width;
            push_line(
                page,
                line,
                right,
                baseline(number_row),
                Role::Artifact(ArtifactKind::PageNumber),
            );
        }
        Ok(())
    }
}

fn push_line(page: &mut Page, line: &Line, x: f32, baseline: f32, role: Role) {
    page.items
        .extend(line.runs.iter().map(|(dx, run)| Positioned {
            x: x + dx,
            y: baseline,
            item: Item::Text(run.clone()),
            role,
        }));
}

/// The running header on pages after the first: title and patient, and a rule.
pub struct RunningHeader {
    lines: Arc<Vec<Line>>,
    /// Height below the top margin before body text starts.
    pub height: f32,
}

impl RunningHeader {
    /// Breaks the header text.
    pub fn measure(handout: &Handout, small: &mut SmallPrint) -> Result<RunningHeader, Error> {
        let width = small.style.text_width();
        let lines = small.lines(&handout.running_header, width, "the running header")?;
        let height = lines.len() as f32 * small.style.small.leading + 6.0 + 0.75 + 14.0;
        Ok(RunningHeader { lines, height })
    }

    /// Draws the header on a page.
    pub fn draw(&self, page: &mut Page, shaper: &Shaper, style: &Style) {
        let font = style.small;
        let offset = baseline_offset(shaper, font);
        let header = Role::Artifact(ArtifactKind::Header);
        let mut top = style.margin_top;
        for line in self.lines.iter() {
            let baseline = top + offset;
            push_line(page, line, style.margin_x, baseline, header);
            top += font.leading;
        }
        page.items.push(Positioned {
            x: style.margin_x,
            y: top + 6.0,
            item: Item::Rect(Rect {
                width: style.text_width(),
                height: 0.75,
                fill: Some(style.muted_color),
                stroke: None,
            }),
            role: header,
        });
    }
}
