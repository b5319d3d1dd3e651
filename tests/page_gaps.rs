//! Pages that end early (issue 11, point 8): before the last page, a handout with personal
//! blocks leaves no page more than a fifth empty, unless what follows could not go there
//! under the keep rules. Measured on layout data over many handouts with personal blocks.

mod util;

use pjece::content::{Region, Variant};
use pjece::layout::{Document, Item, NodeKind, Positioned, Role};
use pjece::select::Choices;

/// Handouts with personal blocks: each region, variant and print size, with and without a
/// clinic, with the personal blocks in several combinations.
fn handouts() -> Vec<(String, Document)> {
    let engines =
        util::engines::with_and_without_clinics(&[("clinic", "tests/fixtures/clinic.json")]);
    let mut out = Vec::new();
    for (clinic, engine) in &engines {
        let mut shaper = engine.shaper().unwrap();
        for region in Region::ALL {
            for variant in Variant::ALL {
                for large_print in [false, true] {
                    for combo in 0..8u8 {
                        let mut c = Choices::new(region, jiff::civil::date(2026, 11, 26));
                        c.variant = variant;
                        c.large_print = large_print;
                        c.patient = Some("Søren Ærø".into());
                        c.therapist = Some("Mette Kjær".into());
                        if combo & 1 != 0 {
                            c.note = Some(
                                "Husk øvelserne morgen og aften, og gå en tur hver dag.".into(),
                            );
                        }
                        if combo & 2 != 0 {
                            c.goals = vec![
                                "Gå en tur på 30 minutter hver dag".into(),
                                "Tilbage på arbejde".into(),
                            ];
                        } else {
                            c.blank_goals = true;
                        }
                        if combo & 4 != 0 {
                            c.ladder = true;
                            c.next = Some(jiff::civil::date(2026, 12, 3).at(10, 30, 0, 0));
                        }
                        let name = format!(
                            "{region:?} {variant:?}{} {clinic} combo {combo}",
                            if large_print { " large" } else { "" }
                        );
                        let doc = engine
                            .layout(&c, &mut shaper)
                            .unwrap_or_else(|e| panic!("{name}: {e}"));
                        out.push((name, doc));
                    }
                }
            }
        }
    }
    out
}

fn top(p: &Positioned) -> f32 {
    match &p.item {
        Item::Text(t) => p.y - 0.984 * t.size,
        _ => p.y,
    }
}

fn bottom(p: &Positioned) -> f32 {
    match &p.item {
        Item::Text(t) => p.y + 0.316 * t.size,
        Item::Rect(r) => p.y + r.height,
        Item::Image(i) => p.y + i.height,
        Item::Qr(q) => p.y + q.count as f32 * q.module,
        Item::Link(l) => p.y + l.height,
        Item::Polygon(poly) => p.y + poly.points.iter().map(|q| q.1).fold(0.0, f32::max),
    }
}

/// The share of the page's text area left empty between its flow and its footnotes (or foot).
fn empty(doc: &Document, page: usize) -> f32 {
    let parents = pjece::layout::inspect::parents(doc);
    let p = &doc.pages[page];
    let mut flow_bottom = p.body_top;
    let mut notes_top = p.body_bottom;
    for it in &p.items {
        let Role::Content(n) = it.role else { continue };
        if pjece::layout::inspect::in_note(doc, &parents, n) {
            notes_top = notes_top.min(top(it));
        } else {
            flow_bottom = flow_bottom.max(bottom(it));
        }
    }
    (notes_top - flow_bottom) / (p.body_bottom - p.body_top)
}

/// What starts a page: the first content's node kind and text.
fn starts_with(doc: &Document, page: usize) -> String {
    let p = &doc.pages[page];
    let mut text = String::new();
    let mut kind = None;
    for it in &p.items {
        let (Role::Content(n), Item::Text(t)) = (it.role, &it.item) else {
            continue;
        };
        kind.get_or_insert_with(|| format!("{:?}", doc.nodes[n].kind));
        text.push_str(&t.text);
        if text.len() > 60 {
            break;
        }
    }
    format!("{} {text:?}", kind.unwrap_or_default())
}

/// The largest gap left, and how many pages before the last are more than a fifth empty.
/// Before the personal blocks could change order, this survey found 30 of 500 such pages, the
/// worst half empty (the ladder and its text kept together, moved whole to the next page).
#[test]
fn pages_before_the_last_seldom_end_a_fifth_empty() {
    let docs = handouts();
    let mut pages = 0;
    let mut gaps = Vec::new();
    let mut worst: f32 = 0.0;
    for (name, doc) in &docs {
        for page in 0..doc.pages.len() - 1 {
            pages += 1;
            let e = empty(doc, page);
            worst = worst.max(e);
            if e > 0.2 {
                gaps.push(format!(
                    "{name} p{} {:.0}% empty; next: {}",
                    page + 1,
                    e * 100.0,
                    starts_with(doc, page + 1)
                ));
            }
        }
        // Whatever the order of the personal blocks, the clinic's contact stays last.
        let sections: Vec<&str> = doc
            .roots
            .iter()
            .filter_map(|&n| match &doc.nodes[n].kind {
                NodeKind::Section { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        if name.contains(" clinic ") && !name.contains("no clinic") {
            assert_eq!(sections.last(), Some(&"kontakt"), "{name}: {sections:?}");
        }
    }
    println!(
        "{} of {pages} pages before the last >20% empty, the worst {:.0}%",
        gaps.len(),
        worst * 100.0
    );
    for g in &gaps {
        println!("{g}");
    }
    assert!(pages > 400, "{pages}");
    assert!(gaps.len() <= 12, "{gaps:#?}");
    assert!(worst < 0.35, "{gaps:#?}");
}
