//! Page economy and page breaks, on layout data, for every kind of handout pjece makes: both
//! regions, full and short, standard and large print, the handout and the therapist's guide,
//! with no clinic, with either clinic profile and with the patient's own blocks.
//!
//! - A last page holds at least a quarter of its text area (issue 11: pages with 2-4 lines).
//! - A list item of up to 5 lines is never split; a longer one, like a paragraph, leaves at
//!   least 2 lines on each side of a break.
//! - A heading never ends a page, and no heading ends with a word alone on its last line, nor
//!   is cut inside a word to avoid it.

mod util;

use std::collections::{BTreeMap, BTreeSet};

use pjece::Engine;
use pjece::content::{Audience, Region, Variant};
use pjece::layout::{Document, Item, NodeId, NodeKind, Positioned, Role};
use pjece::select::Choices;

/// The least share of its text area a last page may hold.
const MIN_LAST_PAGE: f32 = 0.25;
/// The longest list item that is kept whole, in lines.
const KEEP_ITEM_LINES: usize = 5;

fn date() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// The patient's own blocks: names, a note, goals, a ladder, the next appointment.
fn personal(c: &mut Choices) {
    c.patient = Some("Søren Ærø".into());
    c.therapist = Some("Mette Kjær".into());
    c.note = Some("Husk øvelserne morgen og aften, og gå en tur hver dag.".into());
    c.goals = vec![
        "Gå en tur på 30 minutter hver dag".into(),
        "Tilbage på arbejde på nedsat tid".into(),
    ];
    c.ladder = true;
    c.next = Some(jiff::civil::date(2026, 12, 3).at(10, 30, 0, 0));
}

/// Every variant, laid out, with a name for messages.
fn every_variant() -> Vec<(String, Document)> {
    let engines = util::engines::with_and_without_clinics(&[
        ("test clinic", "tests/fixtures/clinic.json"),
        ("example clinic", "examples/clinic.json"),
    ]);
    let mut out = Vec::new();
    for (clinic, engine) in &engines {
        let mut shaper = engine.shaper().unwrap();
        for region in Region::ALL {
            for variant in Variant::ALL {
                for audience in Audience::ALL {
                    for large_print in [false, true] {
                        for own_blocks in [false, true] {
                            // The guide has no patient's blocks; the plain handout is tested
                            // without them too.
                            if own_blocks && audience == Audience::Therapist {
                                continue;
                            }
                            let mut c = Choices::new(region, date());
                            c.variant = variant;
                            c.audience = audience;
                            c.large_print = large_print;
                            if own_blocks {
                                personal(&mut c);
                            }
                            let name = format!(
                                "{region:?} {variant:?} {audience:?}{}{} ({clinic})",
                                if large_print { " large print" } else { "" },
                                if own_blocks { " with own blocks" } else { "" },
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
    }
    out
}

/// Top and bottom of what an item draws.
fn extent(p: &Positioned) -> (f32, f32) {
    match &p.item {
        // The font's ascender and descender (0.984 and 0.316 em) bound its ink.
        Item::Text(t) => (p.y - 0.984 * t.size, p.y + 0.316 * t.size),
        Item::Rect(r) => (p.y, p.y + r.height),
        Item::Image(i) => (p.y, p.y + i.height),
        Item::Qr(q) => (p.y, p.y + q.count as f32 * q.module),
        Item::Link(l) => (p.y, p.y + l.height),
        Item::Polygon(poly) => {
            let ys = poly.points.iter().map(|q| p.y + q.1);
            (
                ys.clone().fold(f32::INFINITY, f32::min),
                ys.fold(f32::NEG_INFINITY, f32::max),
            )
        }
    }
}

/// The share of a page's text area its content takes: the flow from the top down, and the
/// footnotes from their top to the foot of the area.
fn fill(doc: &Document, parents: &BTreeMap<NodeId, NodeId>, page: usize) -> f32 {
    let p = &doc.pages[page];
    let mut flow_bottom = p.body_top;
    let mut notes_top = p.body_bottom;
    for it in &p.items {
        let Role::Content(n) = it.role else { continue };
        let (top, bottom) = extent(it);
        if pjece::layout::inspect::in_note(doc, parents, n) {
            notes_top = notes_top.min(top);
        } else {
            flow_bottom = flow_bottom.max(bottom);
        }
    }
    let used = (flow_bottom - p.body_top) + (p.body_bottom - notes_top);
    used / (p.body_bottom - p.body_top)
}

/// The text lines of `node` (its own items only), as (page, baseline) with their text.
fn lines_of(doc: &Document, node: NodeId) -> Vec<((usize, i64), String)> {
    let mut lines: BTreeMap<(usize, i64), String> = BTreeMap::new();
    for (pi, page) in doc.pages.iter().enumerate() {
        for it in &page.items {
            if let (Role::Content(n), Item::Text(t)) = (it.role, &it.item)
                && text_of(doc, node, n)
            {
                let at = (pi, (it.y * 100.0).round() as i64);
                lines.entry(at).or_default().push_str(&t.text);
            }
        }
    }
    lines.into_iter().collect()
}

/// Whether content of node `n` is text of `node`: its own, or that of its bold words
/// (`Strong`) and the plain words beside them (`Span`).
fn text_of(doc: &Document, node: NodeId, n: NodeId) -> bool {
    n == node
        || (doc.nodes[node].children.contains(&n)
            && matches!(doc.nodes[n].kind, NodeKind::Strong | NodeKind::Span))
}

/// Lines per page of a node's text.
fn lines_per_page(doc: &Document, node: NodeId) -> BTreeMap<usize, usize> {
    let mut out = BTreeMap::new();
    for ((page, _), _) in lines_of(doc, node) {
        *out.entry(page).or_default() += 1;
    }
    out
}

/// What is wrong with the page breaks and headings of a document.
fn break_faults(doc: &Document) -> Vec<String> {
    let parents = pjece::layout::inspect::parents(doc);
    let mut faults = Vec::new();
    for (n, node) in doc.nodes.iter().enumerate() {
        match &node.kind {
            NodeKind::ListBody | NodeKind::Paragraph => {
                let split = lines_per_page(doc, n);
                let total: usize = split.values().sum();
                if split.len() < 2 {
                    continue;
                }
                let text = lines_of(doc, n)[0].1.clone();
                if node.kind == NodeKind::ListBody && total <= KEEP_ITEM_LINES {
                    faults.push(format!(
                        "a list item of {total} lines is split {split:?}: {text:?}"
                    ));
                } else if split.values().any(|&k| k < 2) {
                    faults.push(format!("a single line at a page break {split:?}: {text:?}"));
                }
            }
            NodeKind::Heading { title, .. } => {
                let lines = lines_of(doc, n);
                if let Some(((page, y), last)) = lines.last() {
                    if lines.len() > 1 && !last.trim().contains(' ') {
                        faults.push(format!("heading {title:?} ends with {last:?} alone"));
                    }
                    // Balanced lines break between words, never inside one.
                    for (_, line) in &lines[..lines.len() - 1] {
                        if !line.ends_with([' ', '-', '–']) {
                            faults.push(format!("heading {title:?} is cut after {line:?}"));
                        }
                    }
                    // Something of its section follows it on its page (boxes are whole).
                    let section = parents.get(&n).copied();
                    let followed = doc.pages[*page].items.iter().any(|it| {
                        matches!(it.role, Role::Content(m) if m != n
                            && ancestor(&parents, m, section)
                            && (it.y * 100.0).round() as i64 > *y)
                    });
                    if section.is_some() && !followed {
                        faults.push(format!("heading {title:?} ends page {}", page + 1));
                    }
                }
            }
            _ => {}
        }
    }
    faults
}

/// Whether `section` is an ancestor of `n`.
fn ancestor(parents: &BTreeMap<NodeId, NodeId>, mut n: NodeId, section: Option<NodeId>) -> bool {
    while let Some(&p) = parents.get(&n) {
        if Some(p) == section {
            return true;
        }
        n = p;
    }
    false
}

#[test]
fn every_variant_fills_its_last_page_and_breaks_pages_well() {
    let mut faults = Vec::new();
    let variants = every_variant();
    for (name, doc) in &variants {
        let parents = pjece::layout::inspect::parents(doc);
        let last = doc.pages.len() - 1;
        if last > 0 {
            let f = fill(doc, &parents, last);
            if f < MIN_LAST_PAGE {
                faults.push(format!(
                    "{name}: page {} of {} holds {:.0} % of its text area",
                    last + 1,
                    doc.pages.len(),
                    f * 100.0
                ));
            }
        }
        for fault in break_faults(doc) {
            faults.push(format!("{name}: {fault}"));
        }
    }
    assert!(variants.len() >= 72, "{} variants", variants.len());
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// A handout in a combined duplex file is the handout laid out alone: the batch's file has the
/// pages of each row's own layout (which meets the rules above), each padded to a new sheet.
#[test]
fn handouts_in_a_combined_duplex_file_keep_their_own_layout() {
    let dir = util::Dir::new();
    dir.write(
        "in.csv",
        "navn;region;variant\nAnna Ås;lænd;fuld\nBo Bæk;nakke;fuld\nCarl Clausen;lænd;kort\n",
    );
    util::batch(
        &dir,
        "in.csv",
        &["--combined", "alle.pdf", "--duplex", "--no-clinic"],
    )
    .ok();
    let engine = Engine::embedded().unwrap();
    let mut shaper = engine.shaper().unwrap();
    let mut expected = 0;
    for (name, region, variant) in [
        ("Anna Ås", Region::Lumbar, Variant::Full),
        ("Bo Bæk", Region::Cervical, Variant::Full),
        ("Carl Clausen", Region::Lumbar, Variant::Short),
    ] {
        let mut c = Choices::new(region, date());
        c.variant = variant;
        c.patient = Some(name.into());
        let doc = engine.layout(&c, &mut shaper).unwrap();
        let parents = pjece::layout::inspect::parents(&doc);
        let last = doc.pages.len() - 1;
        assert!(
            last == 0 || fill(&doc, &parents, last) >= MIN_LAST_PAGE,
            "{name}"
        );
        assert_eq!(break_faults(&doc), Vec::<String>::new(), "{name}");
        expected += doc.pages.len() + doc.pages.len() % 2;
    }
    let combined = util::info(&dir.path("alle.pdf"))["Pages"]
        .parse::<usize>()
        .unwrap();
    assert_eq!(combined, expected);
}

/// The checks themselves catch what they look for: a page of 2 lines, a 3-line list item split.
#[test]
fn the_checks_catch_a_near_empty_last_page_and_a_split_item() {
    let engine = Engine::embedded().unwrap();
    let mut shaper = engine.shaper().unwrap();
    let doc = engine
        .layout(&Choices::new(Region::Lumbar, date()), &mut shaper)
        .unwrap();
    let parents = pjece::layout::inspect::parents(&doc);
    // The last page with only its first two lines of text.
    let mut short = doc.clone();
    let last = short.pages.len() - 1;
    let page = &mut short.pages[last];
    let keep: BTreeSet<i64> = page
        .items
        .iter()
        .filter(|it| matches!(it.role, Role::Content(_)) && matches!(it.item, Item::Text(_)))
        .map(|it| (it.y * 100.0).round() as i64)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(2)
        .collect();
    page.items.retain(|it| {
        !matches!(it.role, Role::Content(_)) || keep.contains(&((it.y * 100.0).round() as i64))
    });
    assert!(fill(&short, &parents, last) < MIN_LAST_PAGE);
    assert!(fill(&doc, &parents, last) >= MIN_LAST_PAGE);
    // A list item's last line moved to the next page.
    let item = (0..doc.nodes.len())
        .find(|&n| doc.nodes[n].kind == NodeKind::ListBody && lines_of(&doc, n).len() == 3)
        .expect("a 3-line list item");
    let mut split = doc.clone();
    let of_item = |it: &Positioned| matches!(it.role, Role::Content(n) if text_of(&doc, item, n));
    let ((page, y), _) = lines_of(&split, item)[2].clone();
    let moved: Vec<Positioned> = split.pages[page]
        .items
        .iter()
        .filter(|it| of_item(it) && (it.y * 100.0).round() as i64 == y)
        .cloned()
        .collect();
    split.pages[page]
        .items
        .retain(|it| !(of_item(it) && (it.y * 100.0).round() as i64 == y));
    if page + 1 == split.pages.len() {
        split.pages.push(split.pages[page].clone());
        split.pages[page + 1].items.clear();
    }
    split.pages[page + 1].items.extend(moved);
    assert!(
        break_faults(&split)
            .iter()
            .any(|f| f.starts_with("a list item of 3 lines is split")),
        "{:?}",
        break_faults(&split)
    );
}
