//! The red-flag box (warning signs and whom to call) is structural: no content edit can empty it,
//! drop its call or move it off the top of page 1. Each hostile edit is applied to a copy of the
//! shipped content and must be refused by `check` and `build`; placement is read from the layout
//! and from the PDF.

mod util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pjece::Engine;
use pjece::content::{Audience, BlockKind, Content, Element, Region, Scoped, Variant, markup};
use pjece::fonts::FontSet;
use pjece::layout::{Document, Item, NodeId, NodeKind, Role, Style};
use pjece::select::Choices;
use serde_json::{Value, json};
use util::{Dir, page_text};

const DATE: &str = "2026-11-26";

fn shipped() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/guideline.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The index of the red-flag block in the shipped content, found by kind, not position.
fn red_flag_index(g: &Value) -> usize {
    g["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .position(|b| b["kind"] == "red_flags")
        .unwrap()
}

/// The red-flag block's element of `kind` (`list`, `call`).
fn element<'v>(g: &'v mut Value, kind: &str) -> &'v mut Value {
    let b = red_flag_index(g);
    g["blocks"][b]["body"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["type"] == kind)
        .unwrap()
}

/// A copy of the content with `edit` applied to its guideline.
fn edited(dir: &Dir, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let content = dir.content_copy("c");
    let mut g = shipped();
    edit(&mut g);
    std::fs::write(
        content.join("guideline.json"),
        serde_json::to_string_pretty(&g).unwrap(),
    )
    .unwrap();
    content
}

/// `pjece check --content DIR` fails with exit 1; returns stderr.
fn check_refuses(dir: &Dir, content: &Path) -> String {
    dir.run(&["check", "--content", content.to_str().unwrap()])
        .fails(1)
}

/// `pjece build --content DIR` with `extra` fails with exit 1 and writes nothing; returns stderr.
fn build_refuses(dir: &Dir, content: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "build",
        "--content",
        content.to_str().unwrap(),
        "--date",
        DATE,
        "-o",
        "x.pdf",
    ];
    args.extend_from_slice(extra);
    let err = dir.run(&args).fails(1);
    assert!(!dir.path("x.pdf").exists(), "a refused build wrote a PDF");
    err
}

#[test]
fn a_sign_list_or_a_call_for_the_therapist_only_is_refused() {
    // The red-flag box's part, what `check` says, and what a lumbar `build` says.
    let cases: [(&str, &[&str], &str); 2] = [
        (
            "list",
            &[
                "the full lumbar handout",
                "the short lumbar handout",
                "the full cervical handout",
                "the short cervical handout",
                "the red-flag box 'roede-flag' would have no warning signs in",
            ],
            "would have no warning signs",
        ),
        (
            "call",
            &["would have no call (whom to contact) in the full lumbar handout"],
            "would have no call (whom to contact)",
        ),
    ];
    for (part, check_says, build_says) in cases {
        let dir = Dir::new();
        let c = edited(&dir, |g| element(g, part)["audience"] = json!("therapist"));
        let err = check_refuses(&dir, &c);
        util::assert_contains(&err, check_says);
        // The therapist's guide shows the whole box, so it keeps its signs and its call.
        util::assert_lacks(&err, &["therapist's guide"]);
        let err = build_refuses(&dir, &c, &["--region", "lumbar"]);
        util::assert_contains(&err, &[build_says]);
    }
}

#[test]
fn signs_only_in_the_full_version_are_refused_for_the_short_one() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        for item in element(g, "list")["items"].as_array_mut().unwrap() {
            item["variants"] = json!(["full"]);
        }
    });
    let err = check_refuses(&dir, &c);
    util::assert_contains(
        &err,
        &[
            "the short lumbar handout",
            "the short cervical handout",
            "the short lumbar therapist's guide",
            "the short cervical therapist's guide",
        ],
    );
    util::assert_lacks(&err, &["full lumbar"]);
    build_refuses(&dir, &c, &["--region", "cervical", "--short"]);
}

#[test]
fn signs_and_calls_that_print_nothing_are_refused() {
    // Each prints as an empty bullet or an empty sentence, which a box with "signs" would hide.
    for blank in ["\u{200B}", "** **", "\u{00AD}\u{2060}", "**\u{FEFF}**"] {
        let dir = Dir::new();
        let c = edited(&dir, |g| {
            for item in element(g, "list")["items"].as_array_mut().unwrap() {
                item["text"] = json!({ "full": blank });
            }
        });
        let err = check_refuses(&dir, &c);
        util::assert_contains(&err, &["items[0].text.full: has nothing to print"]);
        build_refuses(&dir, &c, &["--region", "lumbar"]);
        let dir = Dir::new();
        let c = edited(&dir, |g| {
            element(g, "call")["text"] = json!({ "full": blank })
        });
        let err = check_refuses(&dir, &c);
        util::assert_contains(&err, &["has nothing to print"]);
    }
}

#[test]
fn a_sign_list_narrowed_at_list_level_is_refused() {
    let dir = Dir::new();
    let c = edited(&dir, |g| element(g, "list")["variants"] = json!(["short"]));
    let err = check_refuses(&dir, &c);
    util::assert_contains(
        &err,
        &["would have no warning signs in the full lumbar handout"],
    );
}

#[test]
fn signs_for_one_region_only_are_refused_for_the_other() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let items = element(g, "list")["items"].as_array_mut().unwrap();
        items.retain(|i| i["regions"] != json!(["cervical"]));
    });
    let err = check_refuses(&dir, &c);
    util::assert_contains(&err, &["no warning signs in the full cervical handout"]);
    util::assert_lacks(&err, &["lumbar handout"]);
}

#[test]
fn a_box_without_its_call_is_refused() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let b = red_flag_index(g);
        g["blocks"][b]["body"]
            .as_array_mut()
            .unwrap()
            .retain(|e| e["type"] != "call");
    });
    let err = check_refuses(&dir, &c);
    util::assert_contains(
        &err,
        &[
            "the red-flag box 'roede-flag' would have no call (whom to contact)",
            "in every handout and therapist's guide",
        ],
    );
    build_refuses(&dir, &c, &["--region", "lumbar"]);
}

#[test]
fn content_without_a_red_flag_block_is_refused() {
    for edit in ["remove", "make a section"] {
        let dir = Dir::new();
        let c = edited(&dir, |g| {
            let b = red_flag_index(g);
            match edit {
                "remove" => {
                    g["blocks"].as_array_mut().unwrap().remove(b);
                }
                _ => {
                    g["blocks"][b].as_object_mut().unwrap().remove("kind");
                }
            }
        });
        let err = check_refuses(&dir, &c);
        assert!(
            err.contains("no red_flags block covers lumbar"),
            "{edit}: {err}"
        );
        assert!(
            err.contains("no red_flags block covers cervical"),
            "{edit}: {err}"
        );
        build_refuses(&dir, &c, &["--region", "cervical"]);
    }
}

#[test]
fn warning_signs_cannot_be_advice() {
    // Advice can be chosen and left out (--advice, --omit); a warning sign never can.
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let list = element(g, "list");
        list["type"] = json!("advice");
        for (i, item) in list["items"].as_array_mut().unwrap().iter_mut().enumerate() {
            item["id"] = json!(format!("tegn-{i}"));
        }
    });
    let err = check_refuses(&dir, &c);
    let b = red_flag_index(&shipped());
    util::assert_contains(
        &err,
        &[&format!(
            "blocks[{b}].body[0]: warning signs are a list, not advice"
        )],
    );
}

#[test]
fn a_link_in_a_patient_block_is_refused_with_its_path() {
    let dir = Dir::new();
    let mut target = (0, 0);
    let c = edited(&dir, |g| {
        let b = g["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .position(|b| b["audience"] == "patient" && b["kind"] != "red_flags")
            .unwrap();
        let body = g["blocks"][b]["body"].as_array_mut().unwrap();
        body.push(json!({
            "type": "link",
            "source": "test",
            "text": {"full": "Læs mere"},
            "url": "https://www.sundhed.dk/"
        }));
        target = (b, body.len() - 1);
    });
    let err = check_refuses(&dir, &c);
    let (b, e) = target;
    util::assert_contains(
        &err,
        &[&format!(
            "blocks[{b}].body[{e}]: a link is never printed in a patient handout"
        )],
    );
}

#[test]
fn a_patient_footnote_is_refused_with_its_path() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let body = g["blocks"][1]["body"].as_array_mut().unwrap();
        body.push(json!({
            "type": "footnote",
            "mark": "9",
            "source": "test",
            "text": {"full": "En fodnote"}
        }));
    });
    let err = check_refuses(&dir, &c);
    let n = shipped()["blocks"][1]["body"].as_array().unwrap().len();
    util::assert_contains(
        &err,
        &[&format!(
            "blocks[1].body[{n}]: footnotes are only for therapist text"
        )],
    );
}

// ---- Placement -------------------------------------------------------------------------------

/// Every structure node under `node`, itself included.
fn family(d: &Document, node: NodeId) -> BTreeSet<NodeId> {
    let mut out = BTreeSet::from([node]);
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        for &c in &d.nodes[n].children {
            out.insert(c);
            stack.push(c);
        }
    }
    out
}

/// The section nodes in reading order, with whether each is the red-flag box.
fn sections(d: &Document) -> Vec<(NodeId, bool)> {
    d.roots
        .iter()
        .filter_map(|&n| match d.nodes[n].kind {
            NodeKind::Section { alert, .. } => Some((n, alert)),
            _ => None,
        })
        .collect()
}

/// Asserts that the red-flag box is the first section, whole on page 1, above every other
/// section's content.
fn assert_box_first_on_page_one(d: &Document, what: &str) {
    let secs = sections(d);
    assert_eq!(
        secs.iter().filter(|s| s.1).count(),
        1,
        "{what}: one red-flag box"
    );
    assert!(
        secs[0].1,
        "{what}: the first section is not the red-flag box"
    );
    let alert = family(d, secs[0].0);
    let others: BTreeSet<NodeId> = secs[1..].iter().flat_map(|s| family(d, s.0)).collect();
    for (pi, page) in d.pages.iter().enumerate().skip(1) {
        assert!(
            !page
                .items
                .iter()
                .any(|p| matches!(p.role, Role::Content(n) if alert.contains(&n))),
            "{what}: part of the box is on page {}",
            pi + 1
        );
    }
    let page = &d.pages[0];
    let box_top = page
        .items
        .iter()
        .filter(|p| matches!(p.role, Role::Content(n) if alert.contains(&n)))
        .map(|p| p.y)
        .fold(f32::INFINITY, f32::min);
    assert!(box_top.is_finite(), "{what}: the box is not on page 1");
    // The frame and tint are drawn first, then the box's text; nothing of another section
    // comes before them on page 1.
    let first_section_item = page
        .items
        .iter()
        .position(|p| match p.role {
            Role::Content(n) => alert.contains(&n) || others.contains(&n),
            Role::Artifact(_) => matches!(&p.item, Item::Rect(r) if r.stroke.is_some()),
        })
        .unwrap();
    let first = &page.items[first_section_item];
    assert!(
        matches!(&first.item, Item::Rect(_))
            || matches!(first.role, Role::Content(n) if alert.contains(&n)),
        "{what}: page 1's first section item is not the box"
    );
    for p in &page.items {
        if let Role::Content(n) = p.role
            && others.contains(&n)
        {
            assert!(
                p.y > box_top,
                "{what}: another section's text above the box"
            );
        }
    }
}

/// Lays out every region × variant × audience × print size from a content directory.
fn every_layout(content: &Path) -> Vec<(String, Document)> {
    let content = Content::load_dir(content).unwrap();
    let engine = Engine::new(content, FontSet::embedded(), Style::standard()).unwrap();
    let mut shaper = engine.shaper().unwrap();
    let mut out = Vec::new();
    for region in Region::ALL {
        for variant in [Variant::Full, Variant::Short] {
            for audience in [Audience::Patient, Audience::Therapist] {
                for large_print in [false, true] {
                    let mut c = Choices::new(region, jiff::civil::date(2026, 11, 26));
                    c.variant = variant;
                    c.audience = audience;
                    c.large_print = large_print;
                    if audience == Audience::Patient {
                        c.note = Some("Husk øvelserne morgen og aften.".into());
                    }
                    let what = format!("{region} {variant:?} {audience:?} large {large_print}");
                    let d = engine
                        .layout(&c, &mut shaper)
                        .unwrap_or_else(|e| panic!("{what}: {e}"));
                    out.push((what, d));
                }
            }
        }
    }
    out
}

#[test]
fn the_box_is_first_on_page_one_when_the_block_is_moved_to_the_end() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let b = red_flag_index(g);
        let blocks = g["blocks"].as_array_mut().unwrap();
        let red = blocks.remove(b);
        blocks.push(red);
    });
    dir.run(&["check", "--content", c.to_str().unwrap()]).ok();
    for (what, d) in every_layout(&c) {
        assert_box_first_on_page_one(&d, &what);
    }
    // And in the PDF: the box's heading comes before the first section's heading on page 1.
    dir.build(&[
        "--content",
        c.to_str().unwrap(),
        "--region",
        "lumbar",
        "-o",
        "moved.pdf",
    ])
    .ok();
    let page1 = page_text(&dir.path("moved.pdf"), 1);
    let g = shipped();
    let box_heading = g["blocks"][red_flag_index(&g)]["heading"]["full"]
        .as_str()
        .unwrap();
    let other = g["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["audience"] == "patient" && b["kind"] != "red_flags")
        .unwrap()["heading"]["full"]
        .as_str()
        .unwrap();
    let at = |s: &str| {
        page1
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not on page 1"))
    };
    assert!(at(box_heading) < at(other), "{page1}");
}

#[test]
fn a_long_block_before_the_box_does_not_push_it_off_page_one() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let long = "Denne tekst er lang og står foran boksen i indholdet. ".repeat(120);
        let block = json!({
            "id": "lang-indledning",
            "guideline_section": "test",
            "audience": "patient",
            "regions": ["lumbar", "cervical"],
            "heading": {"full": "En lang indledning"},
            "body": [{"type": "paragraph", "source": "test", "text": {"full": long}}]
        });
        g["blocks"].as_array_mut().unwrap().insert(0, block);
    });
    dir.run(&["check", "--content", c.to_str().unwrap()]).ok();
    for (what, d) in every_layout(&c) {
        assert_box_first_on_page_one(&d, &what);
    }
}

#[test]
fn the_shipped_content_has_its_box_first_on_page_one() {
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for (what, d) in every_layout(&c) {
        assert_box_first_on_page_one(&d, &what);
    }
}

#[test]
fn a_box_too_long_for_page_one_is_refused_naming_the_block() {
    let dir = Dir::new();
    let c = edited(&dir, |g| {
        let items = element(g, "list")["items"].as_array_mut().unwrap();
        let first = items[0].clone();
        for i in 0..40 {
            let mut item = first.clone();
            item["text"] = json!({"full": format!("får et nyt advarselstegn nummer {i}, som er beskrevet med mange ord her")});
            items.push(item);
        }
    });
    let err = check_refuses(&dir, &c);
    util::assert_contains(&err, &["'roede-flag'", "page 1"]);
    let err = build_refuses(&dir, &c, &["--region", "lumbar"]);
    util::assert_contains(&err, &["'roede-flag'"]);
}

// ---- Read back from the PDF ------------------------------------------------------------------

/// What the shipped content says the box holds for a region and variant: signs and the call,
/// markup removed, read from the content's own model rather than from the selection.
fn expected_box(content: &Content, region: Region, variant: Variant) -> (Vec<String>, String) {
    let block = content
        .guideline
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::RedFlags && b.regions.contains(&region))
        .unwrap();
    let mut signs = Vec::new();
    let mut call = None;
    for e in &block.body {
        match e {
            Element::List(l) if l.applies(region, variant) => signs.extend(
                l.items
                    .iter()
                    .filter(|i| i.applies(region, variant))
                    .map(|i| markup::plain(i.text.get(region, variant))),
            ),
            Element::Call(c) if c.applies(region, variant) => {
                call = Some(markup::plain(c.text.get(region, variant)))
            }
            _ => {}
        }
    }
    (signs, call.unwrap())
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_shipped_handout_has_the_signs_and_the_call_on_page_one() {
    let content = Content::embedded().unwrap();
    let dir = Dir::new();
    for (region, variant, args) in util::setup::every_handout(&["-o", "h.pdf"]) {
        dir.build(&args).ok();
        let page1 = page_text(&dir.path("h.pdf"), 1);
        let (signs, call) = expected_box(&content, region, variant);
        assert!(!signs.is_empty());
        for s in signs.iter().chain([&call]) {
            assert!(
                page1.contains(&fold(s)),
                "{region} {variant:?}: {s:?} not on page 1:\n{page1}"
            );
        }
    }
}

#[test]
fn names_that_leave_the_box_no_room_on_page_one_are_refused() {
    // A logo, large print and both names at their longest in the widest letter: the box no
    // longer fits under the header. It must not move to page 2.
    let dir = Dir::new();
    let clinic = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/clinic.json");
    let name = "W".repeat(pjece::select::MAX_NAME_CHARS);
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let err = build_refuses(
        &dir,
        &content,
        &[
            "--clinic",
            clinic.to_str().unwrap(),
            "--region",
            "cervical",
            "--large-print",
            "--patient",
            &name,
            "--therapist",
            &name,
        ],
    );
    util::assert_starts_with(
        &err,
        "pjece: the red-flag box 'roede-flag' does not fit: it must be whole on page 1",
    );
    util::assert_contains(&err, &["shorten its warning signs, or the names"]);
    // The patient's name is not echoed.
    assert!(!err.contains(&name), "{err}");
}
