//! The warning stays the loudest thing on page 1 in black and white (issue 11: printed grey, the
//! red-flag heading was paler than the blue headings and the note's). Page 1 is rendered with
//! `pdftoppm -gray`; where each heading and frame is comes from the layout.

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use pjece::Engine;
use pjece::content::{Audience, Region};
use pjece::layout::{Document, Item, NodeId, NodeKind, Positioned, Role};
use pjece::select::Choices;

/// Pixels per point at the resolution rendered (150 dpi: a heading's strokes cover whole pixels).
const SCALE: f32 = 150.0 / 72.0;

/// A greyscale image, 0 black to 255 white.
use util::Grey;

impl Grey {
    /// The darkest pixel in a box given in points.
    fn darkest(&self, left: f32, top: f32, right: f32, bottom: f32) -> u8 {
        let px = |v: f32, max: usize| ((v * SCALE).round().max(0.0) as usize).min(max);
        let (x0, x1) = (px(left, self.width), px(right, self.width));
        let (y0, y1) = (px(top, self.height), px(bottom, self.height));
        let mut darkest = 255;
        for y in y0..y1 {
            for x in x0..x1 {
                darkest = darkest.min(self.pixels[y * self.width + x]);
            }
        }
        darkest
    }
}

/// Page 1 of a PDF rendered in grey (a binary PGM from `pdftoppm -gray`).
fn page_one_in_grey(pdf: &Path) -> Grey {
    util::pdftoppm_grey(pdf, &["-r", "150", "-f", "1", "-l", "1"])
}

/// Left, top, right and bottom in points.
type Bounds = (f32, f32, f32, f32);

/// A heading on page 1.
struct Heading {
    title: String,
    /// Whether it is the red-flag box's.
    alert: bool,
    /// Around its letters.
    bounds: Bounds,
}

fn headings_on_page_one(doc: &Document) -> Vec<Heading> {
    let parents = pjece::layout::inspect::parents(doc);
    let mut boxes: BTreeMap<NodeId, Bounds> = BTreeMap::new();
    for p in &doc.pages[0].items {
        let (Role::Content(n), Item::Text(t)) = (p.role, &p.item) else {
            continue;
        };
        if !matches!(doc.nodes[n].kind, NodeKind::Heading { .. }) || t.text.trim().is_empty() {
            continue;
        }
        // From the capitals' top to just under the baseline: the letters, not their neighbours.
        let (l, top, r, bottom) = (p.x, p.y - 0.7 * t.size, p.x + t.width, p.y);
        let b = boxes.entry(n).or_insert((l, top, r, bottom));
        *b = (b.0.min(l), b.1.min(top), b.2.max(r), b.3.max(bottom));
    }
    boxes
        .into_iter()
        .map(|(n, b)| {
            let NodeKind::Heading { title, .. } = &doc.nodes[n].kind else {
                unreachable!()
            };
            let alert = parents.get(&n).is_some_and(|&s| {
                matches!(doc.nodes[s].kind, NodeKind::Section { alert: true, .. })
            });
            Heading {
                title: title.clone(),
                alert,
                bounds: b,
            }
        })
        .collect()
}

/// The framed boxes on page 1 (rectangles with a stroke), with their stroke width.
fn frames_on_page_one(doc: &Document) -> Vec<(&Positioned, f32, f32, f32)> {
    doc.pages[0]
        .items
        .iter()
        .filter_map(|p| match &p.item {
            Item::Rect(r) => r.stroke.map(|(_, w)| (p, r.width, r.height, w)),
            _ => None,
        })
        .collect()
}

fn engine_with(clinic: Option<&str>) -> Engine {
    let plain = Engine::embedded().unwrap();
    match clinic {
        None => plain,
        Some(file) => {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            let clinic = pjece::load_clinic(&path, &plain.content, &plain.fonts).unwrap();
            plain.with_clinic(Some(clinic))
        }
    }
}

#[test]
fn the_red_flag_heading_and_frame_are_the_darkest_on_page_one_in_greyscale() {
    let dir = util::Dir::new();
    let (mut checked, mut note_headings) = (0, 0);
    for clinic in [None, Some("examples/clinic.json")] {
        let engine = engine_with(clinic);
        let mut shaper = engine.shaper().unwrap();
        for (region, audience, large_print) in [
            (Region::Lumbar, Audience::Patient, false),
            (Region::Cervical, Audience::Patient, true),
            (Region::Cervical, Audience::Therapist, false),
        ] {
            let mut c = Choices::new(region, jiff::civil::date(2026, 11, 26));
            c.audience = audience;
            c.large_print = large_print;
            if audience == Audience::Patient {
                c.note = Some("Husk øvelserne morgen og aften.".into());
            }
            let what = format!("{region:?} {audience:?} large print {large_print} {clinic:?}");
            let doc = engine.layout(&c, &mut shaper).unwrap();
            let path = dir.write("page.pdf", engine.render(&doc).unwrap());
            let grey = page_one_in_grey(&path);

            let headings = headings_on_page_one(&doc);
            let darkest = |b: Bounds| grey.darkest(b.0, b.1, b.2, b.3);
            let alert: Vec<u8> = headings
                .iter()
                .filter(|h| h.alert)
                .map(|h| darkest(h.bounds))
                .collect();
            assert_eq!(alert.len(), 1, "{what}: one red-flag heading");
            let others: Vec<(&str, u8)> = headings
                .iter()
                .filter(|h| !h.alert)
                .map(|h| (h.title.as_str(), darkest(h.bounds)))
                .collect();
            // The title at least; the note's heading or a section's when they fit on page 1.
            assert!(!others.is_empty(), "{what}: {others:?}");
            note_headings += others
                .iter()
                .filter(|(title, _)| *title == engine.content.labels.note_heading)
                .count();
            for (title, shade) in &others {
                assert!(
                    alert[0] + 8 <= *shade,
                    "{what}: the red-flag heading's darkest is {}, {title:?}'s {shade}",
                    alert[0]
                );
            }

            // The red-flag frame is the heaviest and the darkest frame on the page.
            let frames = frames_on_page_one(&doc);
            let frame_shade = |p: &Positioned, h: f32, w: f32| {
                // Its left edge, halfway down.
                grey.darkest(
                    p.x - w / 2.0,
                    p.y + h / 2.0 - 5.0,
                    p.x + w / 2.0,
                    p.y + h / 2.0 + 5.0,
                )
            };
            let style = if large_print {
                &engine.large_print
            } else {
                &engine.style
            };
            let (alert_frame, other_frames): (Vec<_>, Vec<_>) = frames.iter().partition(
                |(p, ..)| matches!(&p.item, Item::Rect(r) if r.stroke.is_some_and(|s| s.0 == style.alert_color)),
            );
            assert_eq!(alert_frame.len(), 1, "{what}: one red-flag frame");
            let (p, _, h, w) = alert_frame[0];
            let alert_shade = frame_shade(p, h, w);
            for (q, _, qh, qw) in &other_frames {
                assert!(
                    w > *qw,
                    "{what}: a frame of {qw} pt beside the red-flag box's {w}"
                );
                assert!(
                    alert_shade + 8 <= frame_shade(q, *qh, *qw),
                    "{what}: the red-flag frame prints {alert_shade}, another {}",
                    frame_shade(q, *qh, *qw)
                );
            }
            // The warning sign is drawn, solid and dark, inside the frame, as decoration.
            let sign: Vec<&Positioned> = doc.pages[0]
                .items
                .iter()
                .filter(|q| matches!(q.item, Item::Polygon(_)))
                .collect();
            assert_eq!(sign.len(), 1, "{what}: one warning sign");
            assert_eq!(
                sign[0].role,
                Role::Artifact(pjece::layout::ArtifactKind::Decoration)
            );
            let Item::Polygon(triangle) = &sign[0].item else {
                unreachable!()
            };
            let (tw, th) = (triangle.points[2].0, triangle.points[0].1);
            // Its lower corners, inside the triangle: as dark as the heading.
            let corner = grey.darkest(
                sign[0].x + 0.1 * tw,
                sign[0].y + 0.8 * th,
                sign[0].x + 0.25 * tw,
                sign[0].y + 0.95 * th,
            );
            assert!(corner <= alert[0] + 8, "{what}: the sign prints {corner}");
            assert!(
                sign[0].y > p.y && sign[0].y + th < p.y + h,
                "{what}: sign outside"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
    assert!(
        note_headings >= 2,
        "the note's heading was on page 1 {note_headings} times"
    );
}
