//! Layout checks on the real content: every block of both regions and both variants.

use super::*;
use crate::Engine;
use crate::content::{Region, Variant};
use crate::select::Choices;

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

/// The engine with the example clinic profile (examples/clinic.json).
fn clinic_engine() -> Engine {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/clinic.json");
    let plain = engine();
    let clinic = crate::load_clinic(&path, &plain.content, &plain.fonts).unwrap();
    plain.with_clinic(Some(clinic))
}

fn doc(engine: &Engine, choices: &Choices) -> Document {
    let mut shaper = engine.shaper().unwrap();
    engine.layout(choices, &mut shaper).unwrap()
}

fn all_choices() -> Vec<Choices> {
    let mut out = standard_choices();
    for mut c in standard_choices() {
        c.large_print = true;
        out.push(c);
    }
    out
}

/// Both regions and variants with every personal field, in standard print.
fn standard_choices() -> Vec<Choices> {
    let mut out = Vec::new();
    for region in Region::ALL {
        for variant in [Variant::Full, Variant::Short] {
            let mut c = Choices::new(region, jiff::civil::date(2026, 11, 26));
            c.variant = variant;
            c.patient = Some("Søren Ærø".into());
            c.therapist = Some("Mette Kjær".into());
            c.note = Some("Husk øvelserne morgen og aften.".into());
            c.goals = vec!["Gå en tur hver dag".into()];
            c.ladder = true;
            c.qr_url = Some("https://eksempel.dk/oevelser".into());
            c.next = jiff::civil::date(2026, 12, 3).at(10, 30, 0, 0).into();
            out.push(c);
        }
    }
    out
}

fn text_of(p: &Positioned) -> Option<&TextRun> {
    match &p.item {
        Item::Text(t) => Some(t),
        _ => None,
    }
}

#[test]
fn nothing_outside_the_margins() {
    let e = engine();
    for c in all_choices() {
        let s = if c.large_print {
            &e.large_print
        } else {
            &e.style
        };
        let d = doc(&e, &c);
        for (pi, page) in d.pages.iter().enumerate() {
            for p in &page.items {
                let (left, right, top, bottom) = inspect::extent(p);
                let what = format!(
                    "{:?} {:?} page {pi}: {:?}",
                    c.region,
                    c.variant,
                    text_of(p).map(|t| &t.text)
                );
                assert!(left >= s.margin_x - 0.01, "left {left} {what}");
                assert!(
                    right <= s.page_width - s.margin_x + 0.01,
                    "right {right} {what}"
                );
                assert!(top >= s.margin_top - 0.01, "top {top} {what}");
                assert!(
                    bottom <= s.page_height - s.margin_bottom + 0.01,
                    "bottom {bottom} {what}"
                );
            }
        }
    }
}

/// Body lines of the main column, as (page, baseline, text).
fn body_lines(d: &Document, size: f32) -> Vec<(usize, f32, String)> {
    let mut lines: Vec<(usize, f32, String)> = Vec::new();
    for (pi, page) in d.pages.iter().enumerate() {
        for p in &page.items {
            let Some(t) = text_of(p) else { continue };
            if !matches!(p.role, Role::Content(_)) || t.size != size {
                continue;
            }
            match lines.last_mut() {
                Some((lp, ly, s)) if *lp == pi && (*ly - p.y).abs() < 0.01 => s.push_str(&t.text),
                _ => lines.push((pi, p.y, t.text.clone())),
            }
        }
    }
    lines
}

#[test]
fn line_length_is_readable() {
    let e = engine();
    let c = &all_choices()[0];
    let d = doc(&e, c);
    let lines = body_lines(&d, e.style.body.size);
    // Full lines only: the ones followed by another line of the same paragraph are the
    // ones that were broken for width. Use the long ones as a sample.
    let lengths: Vec<usize> = lines
        .iter()
        .map(|(_, _, s)| s.trim_end().chars().count())
        .collect();
    let longest = *lengths.iter().max().unwrap();
    let full: Vec<usize> = lengths
        .iter()
        .copied()
        .filter(|&n| n > longest * 3 / 4)
        .collect();
    let mean = full.iter().sum::<usize>() as f32 / full.len() as f32;
    assert!((50.0..=75.0).contains(&mean), "mean full line {mean} chars");
    assert!(longest <= 80, "longest line {longest} chars: {lines:?}");
}

#[test]
fn red_flag_box_is_whole_on_one_page() {
    let e = engine();
    for c in all_choices() {
        let d = doc(&e, &c);
        let alert = d
            .nodes
            .iter()
            .position(|n| matches!(n.kind, NodeKind::Section { alert: true, .. }))
            .unwrap();
        let descendants = inspect::subtree(&d, alert);
        let pages = pages_of(&d, alert);
        assert_eq!(
            pages.len(),
            1,
            "{:?} {:?}: box on pages {pages:?}",
            c.region,
            c.variant
        );
        // The frame encloses all of the box's text.
        let page = &d.pages[*pages.iter().next().unwrap()];
        let frame = page.items.iter().find(|p| matches!(&p.item, Item::Rect(r) if r.stroke.is_some_and(|s| s.0 == e.style.alert_color))).unwrap();
        let Item::Rect(r) = &frame.item else {
            unreachable!()
        };
        for it in page
            .items
            .iter()
            .filter(|it| matches!(it.role, Role::Content(n) if descendants.contains(&n)))
        {
            assert!(
                it.y > frame.y && it.y < frame.y + r.height,
                "text outside its frame"
            );
        }
    }
}

#[test]
fn headings_never_end_a_page_and_no_widows() {
    let e = engine();
    for c in all_choices() {
        let d = doc(&e, &c);
        for (pi, page) in d.pages.iter().enumerate().take(d.pages.len() - 1) {
            // The last content item on the page must not be a heading.
            let last = page.items.iter().rev().find_map(|p| match p.role {
                Role::Content(n) => Some(n),
                _ => None,
            });
            let node = &d.nodes[last.unwrap()];
            assert!(
                !matches!(node.kind, NodeKind::Heading { .. }),
                "page {pi} ends with a heading"
            );
        }
        // No paragraph leaves a single line at a page's edge.
        for para in 0..d.nodes.len() {
            let mut per_page = std::collections::BTreeMap::new();
            for (pi, page) in d.pages.iter().enumerate() {
                let mut ys: Vec<f32> = page
                    .items
                    .iter()
                    .filter(|p| p.role == Role::Content(para))
                    .map(|p| p.y)
                    .collect();
                ys.dedup_by(|a, b| (*a - *b).abs() < 0.01);
                if !ys.is_empty() {
                    per_page.insert(pi, ys.len());
                }
            }
            if per_page.len() > 1 {
                assert!(
                    per_page.values().all(|&n| n >= 2),
                    "node {para} split as {per_page:?}"
                );
            }
        }
    }
}

#[test]
fn footer_on_every_page_with_page_numbers() {
    let e = engine();
    let d = doc(&e, &all_choices()[0]);
    assert!(d.pages.len() >= 2, "the full handout spans pages");
    let n = d.pages.len();
    for (i, page) in d.pages.iter().enumerate() {
        let numbers: Vec<&str> = page
            .items
            .iter()
            .filter(|p| p.role == Role::Artifact(ArtifactKind::PageNumber))
            .filter_map(|p| text_of(p).map(|t| t.text.as_str()))
            .collect();
        assert_eq!(numbers, [format!("Side {} af {n}", i + 1)]);
        let footer: String = page
            .items
            .iter()
            .filter(|p| p.role == Role::Artifact(ArtifactKind::Footer))
            .filter_map(text_of)
            .map(|t| t.text.as_str())
            .collect();
        assert!(
            footer.contains(
                "Patientuddannelse til patienten med nerverodspåvirkning i lænd og nakke"
            ),
            "{footer}"
        );
        assert!(footer.contains("Indholdsversion 1.2.0"), "{footer}");
    }
}

#[test]
fn outline_lists_sections_in_order() {
    let e = engine();
    let d = doc(&e, &all_choices()[0]);
    let titles: Vec<&str> = d.outline.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        titles[..2],
        [
            "Søg læge med det samme, hvis du",
            "Besked fra din fysioterapeut"
        ]
    );
    let mut last = (0, 0.0);
    for o in &d.outline {
        assert!((o.page, o.y) >= last, "outline out of order");
        last = (o.page, o.y);
    }
}

#[test]
fn an_unbreakable_item_taller_than_a_page_is_an_error() {
    let item = |height: f32, keep: bool| {
        let mut i = flow::FlowItem::new(height, Vec::new(), "roede-flag");
        i.keep_with_prev = keep;
        i
    };
    let body = paginate::Body {
        first_top: 50.0,
        later_top: 80.0,
        bottom: 750.0,
    };
    let ok = paginate::paginate(
        &[item(300.0, false), item(300.0, false), item(300.0, true)],
        &body,
        None,
    )
    .unwrap();
    // The kept item takes its predecessor to the next page.
    assert_eq!(ok.iter().map(|p| p.len()).collect::<Vec<_>>(), [1, 2]);
    let err =
        paginate::paginate(&[item(100.0, false), item(800.0, false)], &body, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "'roede-flag' does not fit: it needs 800 pt of height kept together, but a page has 670 pt; shorten it"
    );
}

/// The note within the limits that prints the most lines: `MAX_NOTE_LINES` lines of the widest
/// letter, each but the last one letter longer than a printed line (so it takes two), and the
/// last with every character left. Returns the note and the lines it prints.
fn tallest_note(e: &Engine, c: &Choices) -> (String, usize) {
    use crate::select::{MAX_NOTE_CHARS, MAX_NOTE_LINES};
    let letter = inspect::widest_letter(&mut e.shaper().unwrap());
    // How many fit on a printed line of the note, read from a note of one long line.
    let mut probe = c.clone();
    probe.note = Some(letter.to_string().repeat(MAX_NOTE_CHARS));
    let d = doc(e, &probe);
    let per_line = inspect::note_lines(&d)[0].chars().count();
    let short = per_line + 1;
    let mut lines = vec![letter.to_string().repeat(short); MAX_NOTE_LINES - 1];
    let left = MAX_NOTE_CHARS - (MAX_NOTE_LINES - 1) * (short + 1);
    lines.push(letter.to_string().repeat(left));
    let note = lines.join("\n");
    assert_eq!(note.chars().count(), MAX_NOTE_CHARS);
    let printed = (MAX_NOTE_LINES - 1) * 2 + left.div_ceil(per_line);
    (note, printed)
}

/// The longest names and the note that prints the most lines the limits allow, in the widest
/// letters: the box is whole on one page, with every line of the note.
#[test]
fn the_longest_allowed_note_fits() {
    let e = engine();
    for mut c in all_choices() {
        c.patient = Some("Æ".repeat(crate::select::MAX_NAME_CHARS));
        c.therapist = Some("Æ".repeat(crate::select::MAX_NAME_CHARS));
        let (note, printed) = tallest_note(&e, &c);
        c.note = Some(note);
        let d = doc(&e, &c);
        assert_eq!(
            inspect::note_lines(&d).len(),
            printed,
            "large print {}",
            c.large_print
        );
        assert!(printed >= 2 * crate::select::MAX_NOTE_LINES);
        let section = d
            .nodes
            .iter()
            .position(|n| matches!(&n.kind, NodeKind::Section { id, .. } if id == "note"))
            .unwrap();
        assert_eq!(pages_of(&d, section).len(), 1, "the note box is whole");
    }
}

#[test]
fn the_red_flag_box_is_on_the_first_page_whatever_the_header_holds() {
    // The longest names (wrapping in the header), the longest note, a clinic profile, large
    // print: the box still starts on page 1.
    let (plain, with_clinic) = (engine(), clinic_engine());
    let note: String = "Husk øvelserne morgen og aften, og gå en tur hver dag.\n"
        .repeat(8)
        .chars()
        .take(crate::select::MAX_NOTE_CHARS)
        .collect();
    for e in [&plain, &with_clinic] {
        for mut c in all_choices() {
            c.patient = Some("Wå ".repeat(crate::select::MAX_NAME_CHARS / 3));
            c.therapist = Some("Wå ".repeat(crate::select::MAX_NAME_CHARS / 3));
            c.note = Some(note.clone());
            let d = doc(e, &c);
            let alert = d
                .nodes
                .iter()
                .position(|n| matches!(n.kind, NodeKind::Section { alert: true, .. }))
                .unwrap();
            let pages = pages_of(&d, alert);
            assert_eq!(
                pages.into_iter().collect::<Vec<_>>(),
                [0],
                "{:?} {:?} large print {}",
                c.region,
                c.variant,
                c.large_print
            );
        }
    }
}

#[test]
fn large_print_sets_body_text_at_18_pt_in_the_standard_margins() {
    let e = engine();
    for c in all_choices().into_iter().filter(|c| c.large_print) {
        let d = doc(&e, &c);
        let sizes: std::collections::BTreeSet<u32> = d
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|p| matches!(p.role, Role::Content(_)))
            .filter_map(text_of)
            .map(|t| t.size.round() as u32)
            .collect();
        assert_eq!(
            sizes.iter().next(),
            Some(&18),
            "smallest content text in large print: {sizes:?}"
        );
        assert_eq!(e.large_print.body.size, 18.0);
        assert_eq!(e.large_print.margin_x, e.style.margin_x);
        assert!(e.large_print.heading.size > e.style.heading.size * 1.25);
    }
}

/// Pages on which the content of `node` or its descendants appears.
fn pages_of(d: &Document, node: usize) -> std::collections::BTreeSet<usize> {
    inspect::pages_with(d, &inspect::subtree(d, node))
}

#[test]
fn the_ladder_and_the_goal_lines_stay_whole_with_their_text() {
    // A clinic profile makes the header and footer taller; different numbers of goals move the
    // ladder down the page, so some of these put it across a page break.
    let (plain, with_clinic) = (engine(), clinic_engine());
    let mut checked = 0;
    for e in [&plain, &with_clinic] {
        for base in all_choices() {
            for goals in [0, 2, crate::select::MAX_GOALS] {
                let mut c = base.clone();
                c.goals = (1..=goals).map(|n| format!("Mål nummer {n}")).collect();
                c.blank_goals = goals == 0;
                let d = doc(e, &c);
                let ladder = d
                    .nodes
                    .iter()
                    .position(|n| matches!(&n.kind, NodeKind::Section { id, .. } if id == "personlig-progressionsstige"))
                    .unwrap();
                // The section's heading and intro may stay behind; its list of steps may not split.
                let list = d.nodes[ladder]
                    .children
                    .iter()
                    .copied()
                    .find(|&n| matches!(d.nodes[n].kind, NodeKind::NumberedList))
                    .unwrap();
                let pages = pages_of(&d, list);
                assert_eq!(
                    pages.len(),
                    1,
                    "{:?} {:?} {goals} goals: ladder on pages {pages:?}",
                    c.region,
                    c.variant
                );
                if c.blank_goals {
                    // The lines to write goals on stay with the text that asks for them.
                    let goals = d
                        .nodes
                        .iter()
                        .position(|n| matches!(&n.kind, NodeKind::Section { id, .. } if id == "personlig-maal"))
                        .unwrap();
                    let text_pages = pages_of(&d, goals);
                    let full_width = if c.large_print {
                        e.large_print.text_width()
                    } else {
                        e.style.text_width()
                    };
                    let line_pages: Vec<usize> = d
                        .pages
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.items.iter().any(|it| matches!(it.role, Role::Content(n) if matches!(d.nodes[n].kind, NodeKind::BlankLine { .. }))
                                    && matches!(&it.item, Item::Rect(r) if r.height < 1.0 && r.fill.is_some() && r.width > full_width - 1.0)))
                        .map(|(i, _)| i)
                        .collect();
                    assert_eq!(line_pages.len(), 1, "{line_pages:?}");
                    assert!(
                        text_pages.contains(&line_pages[0]),
                        "goal lines on {line_pages:?}, their text on {text_pages:?}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 48);
}

#[test]
fn footnotes_are_read_after_the_text_that_refers_to_them() {
    let e = engine();
    let mut c = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
    c.audience = crate::content::Audience::Therapist;
    let d = doc(&e, &c);
    let mut sections_with_notes = 0;
    for node in &d.nodes {
        let kinds: Vec<&NodeKind> = node.children.iter().map(|&c| &d.nodes[c].kind).collect();
        let Some(first_note) = kinds.iter().position(|k| **k == NodeKind::Note) else {
            continue;
        };
        sections_with_notes += 1;
        assert!(
            kinds[first_note..].iter().all(|k| **k == NodeKind::Note),
            "a note is read before text: {kinds:?}"
        );
        assert!(kinds.contains(&&NodeKind::Paragraph));
    }
    assert_eq!(sections_with_notes, 1);
}
