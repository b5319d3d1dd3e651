//! Property tests over the library: whatever a therapist types into a personal field either
//! reaches the PDF's text or is refused with an error that names the field, and any choice of
//! advice, omissions and personal fields lays out inside the margins with the red-flag box whole
//! on one page.

mod util;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use pjece::content::{BlockKind, Element, Region, Variant};
use pjece::field::Field;
use pjece::layout::inspect::{extent, note_lines, pages_with, subtree, widest_letter};
use pjece::layout::{Document, Item, NodeId, NodeKind, Positioned, Role, Style};
use pjece::select::{
    Choices, MAX_GOALS, MAX_ITEM_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_NOTE_LINES, MAX_STEPS,
    MAX_URL_CHARS, advice_ids,
};
use pjece::{Engine, Error};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn date() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// A runner that never writes regression files into the source tree. `PROPTEST_CASES` in the
/// environment replaces the case count, for a longer run.
fn runner(cases: u32) -> TestRunner {
    let defaults = Config::default();
    TestRunner::new(Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            defaults.cases
        } else {
            cases
        },
        failure_persistence: None,
        ..defaults
    })
}

/// Runs `test` on `cases` values of `strategy`; on failure, panics with the minimal input.
fn check<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    if let Err(e) = runner(cases).run(&strategy, test) {
        panic!("{e}");
    }
}

const REGIONS: [Region; 2] = [Region::Lumbar, Region::Cervical];
const VARIANTS: [Variant; 2] = [Variant::Full, Variant::Short];

// ---------------------------------------------------------------------------------------------
// Strings a therapist might type, paste or have in a spreadsheet export.

/// Name parts from Denmark and the patients a Danish clinic sees.
const NAME_PARTS: &[&str] = &[
    "Søren",
    "Ærø",
    "Åse",
    "Øberg-Hansen",
    "Bjørn",
    "Kjær",
    "Mette",
    "Müller",
    "Jürgen",
    "Renée",
    "Zoë",
    "José",
    "Groß",
    "Straße",
    "Nguyễn",
    "Thị",
    "Ánh",
    "Trần",
    "Phạm",
    "Đặng",
    "Łukasz",
    "Wąsowski",
    "Źdźbło",
    "Ślęzak",
    "Gżegżółka",
    "O'Brien",
    "D’Angelo",
    "Jean-Luc",
    "Ægir",
    "Françoise",
    "Þór",
    "Ólafsdóttir",
    "Dvořák",
    "Çelik",
    "Şahin",
    "İlkay",
    "Ahmed",
    "Ñúñez",
    "Ødegård",
    "Aaberg",
];

/// Characters pjece must refuse in every field (a line feed only outside notes).
const FORBIDDEN: &[&str] = &[
    "\u{0}", "\t", "\r", "\u{7}", "\u{1b}", "\u{7f}", "\u{85}", "\u{9b}", "\u{202A}", "\u{202B}",
    "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{2028}",
    "\u{2029}", "\n",
];

/// Scripts and symbols a Latin font is not expected to have.
const FOREIGN: &[&str] = &[
    "李",
    "王小明",
    "한국",
    "アイ",
    "😀",
    "👩‍⚕️",
    "🇩🇰",
    "ﷺ",
    "שלום",
    "عربي",
    "Ωμέγα",
    "Жанна",
    "\u{FFFD}",
    "\u{E000}",
];

/// Combining marks, invisible format characters and unusual spaces.
const ODD: &[&str] = &[
    "\u{301}", "\u{30A}", "\u{308}", "\u{200B}", "\u{AD}", "\u{200D}", "\u{FEFF}", "\u{A0}",
    "\u{2009}", "\u{3000}", "\u{20DD}", "\u{591}",
];

const BLANKS: &[&str] = &[
    "", " ", "  ", "\t", "\n", "\r\n", "\u{A0}", " \r\n \n", "\u{3000}",
];

fn name() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (
                prop::sample::select(NAME_PARTS),
                prop::sample::select(&[" ", " ", " ", "-", "  ", ", "][..]),
            ),
            1..5,
        ),
        prop::sample::select(&["", "", " ", "  ", "\u{A0}"][..]),
    )
        .prop_map(|(parts, pad)| {
            let mut s = String::from(pad);
            for (i, (part, sep)) in parts.iter().enumerate() {
                if i > 0 {
                    s.push_str(sep);
                }
                s.push_str(part);
            }
            s.push_str(pad);
            s
        })
}

/// `base` with `extra` inserted at a char boundary chosen by `at`.
fn insert(base: &str, at: usize, extra: &str) -> String {
    let boundaries: Vec<usize> = base
        .char_indices()
        .map(|(i, _)| i)
        .chain([base.len()])
        .collect();
    let i = boundaries[at % boundaries.len()];
    format!("{}{extra}{}", &base[..i], &base[i..])
}

fn with_inserted(set: &'static [&'static str]) -> impl Strategy<Value = String> {
    (name(), any::<usize>(), prop::sample::select(set))
        .prop_map(|(base, at, extra)| insert(&base, at, extra))
}

fn long() -> impl Strategy<Value = String> {
    prop_oneof![
        // Many words, around and over the limits.
        prop::collection::vec(prop::sample::select(NAME_PARTS), 8..130).prop_map(|w| w.join(" ")),
        // One word longer than any line.
        (
            prop::sample::select(&["W", "æ", "m", "i", "Ø"][..]),
            40usize..700
        )
            .prop_map(|(c, n)| c.repeat(n)),
    ]
}

fn multiline() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            prop_oneof![3 => name(), 1 => prop::sample::select(BLANKS).prop_map(String::from)],
            1..16,
        ),
        prop::sample::select(&["\n", "\r\n", "\n\n", " \n "][..]),
    )
        .prop_map(|(lines, sep)| lines.join(sep))
}

fn personal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => name(),
        2 => any::<String>(),
        2 => with_inserted(FORBIDDEN),
        2 => long(),
        1 => with_inserted(FOREIGN),
        1 => with_inserted(ODD),
        1 => prop::sample::select(BLANKS).prop_map(String::from),
        2 => multiline(),
    ]
}

// ---------------------------------------------------------------------------------------------
// What pjece should do with a value, worked out from its documented rules.

#[derive(Debug)]
enum Expect {
    /// Empty or only whitespace: as if not given.
    Absent,
    Forbidden(char),
    TooLong(usize),
    TooManyLines(usize),
    /// Printed as this text (whitespace folded), unless the font lacks a character.
    Printed(String),
}

fn forbidden(c: char, note: bool) -> bool {
    match c {
        '\n' => !note,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        c => c.is_control(),
    }
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expect(field: &str, value: &str) -> Expect {
    let note = field == "note";
    let value = value.trim();
    if value.is_empty() {
        return Expect::Absent;
    }
    let value = if note {
        value.replace("\r\n", "\n")
    } else {
        value.to_string()
    };
    if let Some(c) = value.chars().find(|&c| forbidden(c, note)) {
        return Expect::Forbidden(c);
    }
    let len = value.chars().count();
    let max = if note { MAX_NOTE_CHARS } else { MAX_NAME_CHARS };
    if len > max {
        return Expect::TooLong(len);
    }
    if note {
        // Blank lines are dropped when printed and do not count towards the limit.
        let lines = value.lines().filter(|l| !l.trim().is_empty()).count();
        if lines > MAX_NOTE_LINES {
            return Expect::TooManyLines(lines);
        }
        let printed: Vec<String> = value
            .split('\n')
            .map(fold)
            .filter(|l| !l.is_empty())
            .collect();
        return Expect::Printed(printed.join(" "));
    }
    Expect::Printed(fold(&value))
}

/// Characters the handout font certainly has: a missing-glyph error naming one is wrong.
fn certainly_covered(c: char) -> bool {
    c.is_ascii_graphic() || "æøåÆØÅéüöäßÉÜÖÄ’".contains(c)
}

/// The PDF's text in content-stream order (which is reading order), as `util::text` but with
/// `-raw`. Without it pdftotext joins a line ending in a hyphen to the next and drops the hyphen
/// ("Øberg-" and "Hansen" on two lines of a note read "ØbergHansen"); with it, it drops a thin
/// space (U+2009) between two letters ("S\u{2009}øren" reads "Søren").
fn raw_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian: apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    fold(&String::from_utf8(out.stdout).expect("UTF-8 from pdftotext"))
}

/// Zero-width format characters print as nothing. pdftotext keeps them, but drops a space drawn
/// at the same position as one ("Anna\u{200B} Bo" comes out as "Anna\u{200B}Bo"; the PDF has
/// both), so both sides are compared with them read as spaces.
fn without_invisibles(s: &str) -> String {
    let visible: String = s
        .chars()
        .map(|c| match c {
            '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => ' ',
            c => c,
        })
        .collect();
    fold(&visible)
}

/// Whether `needle` occurs in `hay` (both whitespace-folded), where `hay` may have a line break
/// (now a space) inside a word: a word longer than a line is broken, not allowed to overflow.
fn contains_allowing_breaks(hay: &str, needle: &str) -> bool {
    let hay: Vec<char> = hay.chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    (0..hay.len()).any(|start| {
        let (mut h, mut n) = (start, 0);
        while n < needle.len() && h < hay.len() {
            if hay[h] == needle[n] {
                n += 1;
                h += 1;
            } else if hay[h] == ' ' && n > 0 && needle[n] != ' ' && needle[n - 1] != ' ' {
                h += 1;
            } else {
                return false;
            }
        }
        n == needle.len()
    })
}

#[test]
fn personal_fields_are_printed_or_refused_by_name() {
    let engine = Engine::embedded().unwrap();
    let shaper = RefCell::new(engine.shaper().unwrap());
    let dir = util::Dir::new();
    let labels = &engine.content.labels;
    // The handout without personal fields, to compare an absent field's bytes against.
    let mut plain = BTreeMap::new();
    for region in REGIONS {
        for variant in VARIANTS {
            let mut c = Choices::new(region, date());
            c.variant = variant;
            let pdf = engine.build(&c, &mut shaper.borrow_mut()).unwrap();
            plain.insert((region as usize, variant as usize), pdf);
        }
    }

    let strategy = (
        prop::sample::select(&["patient", "therapist", "note"][..]),
        prop::sample::select(&REGIONS[..]),
        prop::sample::select(&VARIANTS[..]),
        personal_text(),
    );
    check(64, strategy, |(field, region, variant, value)| {
        let mut c = Choices::new(region, date());
        c.variant = variant;
        let (slot, named) = match field {
            "patient" => (&mut c.patient, Field::Patient),
            "therapist" => (&mut c.therapist, Field::Therapist),
            _ => (&mut c.note, Field::Note),
        };
        *slot = Some(value.clone());
        let result = engine.build(&c, &mut shaper.borrow_mut());
        let expected = expect(field, &value);
        if let Err(e) = &result {
            prop_assert_eq!(e.field(), Some(named), "{:?} for {:?}", e, expected);
            let message = e.to_string();
            prop_assert!(message.starts_with(named.words()), "message {:?}", message);
        }
        match (&expected, result) {
            (Expect::Absent, Ok(pdf)) => {
                prop_assert!(
                    pdf == plain[&(region as usize, variant as usize)],
                    "an empty field changed the handout"
                );
            }
            (Expect::Forbidden(ch), Err(Error::ForbiddenChar { ch: got, .. })) => {
                prop_assert_eq!(*ch, got);
            }
            (Expect::TooLong(len), Err(Error::FieldTooLong { len: got, max, .. })) => {
                prop_assert_eq!(*len, got);
                prop_assert!(got > max);
            }
            (
                Expect::TooManyLines(lines),
                Err(Error::TooManyLines {
                    lines: got, max, ..
                }),
            ) => {
                prop_assert_eq!(*lines, got);
                prop_assert_eq!(max, MAX_NOTE_LINES);
            }
            (Expect::Printed(_), Err(Error::MissingGlyph { ch, .. })) => {
                prop_assert!(value.contains(ch), "{:?} is not in the value", ch);
                // The character the fonts lack, not the letter its mark sits on (see
                // `missing_glyph_names_the_character_the_font_lacks`).
                prop_assert!(!certainly_covered(ch), "the font has {:?}", ch);
            }
            (Expect::Printed(text), Ok(pdf)) => {
                let path = dir.write("case.pdf", pdf);
                // Each of pdftotext's modes misreads something the PDF has right: the default
                // one drops a hyphen at the end of a line, `-raw` a thin space (see `raw_text`).
                let printed = [util::text(&path), raw_text(&path)].map(|t| without_invisibles(&t));
                let label = match field {
                    "patient" => format!("{}: ", labels.patient),
                    "therapist" => format!("{}: ", labels.therapist),
                    _ => format!("{} ", labels.note_heading),
                };
                let wanted = without_invisibles(&format!("{label}{text}"));
                prop_assert!(
                    printed.iter().any(|t| contains_allowing_breaks(t, &wanted)),
                    "{:?} not in the PDF's text:\n{}",
                    wanted,
                    printed[0]
                );
            }
            (_, result) => {
                return Err(TestCaseError::fail(format!(
                    "expected {expected:?}, got {:?}",
                    result.map(|pdf| pdf.len())
                )));
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Layout over arbitrary choices.

const WORDS: &[&str] = &[
    "Husk",
    "øvelserne",
    "morgen",
    "og",
    "aften",
    "gå",
    "en",
    "tur",
    "hver",
    "dag",
    "ring",
    "hvis",
    "smerterne",
    "bliver",
    "værre",
    "vi",
    "ses",
    "på",
    "tirsdag",
    "kl.",
    "14.30",
    "Søren",
    "Ærø",
    "Åse",
    "Øberg-Hansen",
    "Nerverodspåvirkningsbehandlingsforløbet",
    "genoptræningsplan",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
];

/// Text of at most `max` characters and `lines` lines, made of words (some longer than a line);
/// sometimes empty or only spaces, which counts as not given.
fn text_within(max: usize, lines: usize) -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (
                prop::sample::select(WORDS),
                prop::sample::select(&[" ", " ", " ", "\n"][..]),
            ),
            0..120,
        ),
        0..=max,
    )
        .prop_map(move |(words, len)| {
            let mut s = String::new();
            for (word, sep) in words {
                s.push_str(word);
                s.push_str(if s.matches('\n').count() + 1 < lines {
                    sep
                } else {
                    " "
                });
            }
            s.chars().take(len).collect()
        })
}

fn optional_text(max: usize, lines: usize) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.7, text_within(max, lines))
}

/// A web address of up to `MAX_URL_CHARS` characters.
fn url() -> impl Strategy<Value = String> {
    (0..=MAX_URL_CHARS - "https://eksempel.dk/".len()).prop_flat_map(|n| {
        proptest::string::string_regex(&format!("[a-z0-9/._-]{{{n}}}"))
            .unwrap()
            .prop_map(|path| format!("https://eksempel.dk/{path}"))
    })
}

#[derive(Debug, Clone)]
struct LayoutCase {
    region: Region,
    variant: Variant,
    large_print: bool,
    /// With the clinic profile of the fixtures (logo, contact lines, accent colour, QR).
    clinic: bool,
    /// `None`: all advice; otherwise which of the advice ids (by index) to choose.
    advice: Option<Vec<bool>>,
    /// For each omittable id (by index), whether to omit it.
    omit: Vec<bool>,
    /// Order in which omitted ids are given.
    omit_reversed: bool,
    /// Whether chosen advice may also be omitted (an error); otherwise it is kept out of `omit`.
    allow_clash: bool,
    patient: Option<String>,
    therapist: Option<String>,
    note: Option<String>,
    goals: Vec<String>,
    blank_goals: bool,
    steps: Vec<String>,
    ladder: bool,
    /// Next appointment: days after the handout's date, hour and minute.
    next: Option<(i32, i8, i8)>,
    qr_url: Option<String>,
}

fn layout_case() -> impl Strategy<Value = LayoutCase> {
    let choice = (
        prop::sample::select(&REGIONS[..]),
        prop::sample::select(&VARIANTS[..]),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.75, prop::collection::vec(any::<bool>(), 64)),
        prop::collection::vec(prop::bool::weighted(0.15), 64),
        any::<bool>(),
        prop::bool::weighted(0.1),
    );
    let personal = (
        optional_text(MAX_NAME_CHARS, 1),
        optional_text(MAX_NAME_CHARS, 1),
        optional_text(MAX_NOTE_CHARS, MAX_NOTE_LINES),
        prop::collection::vec(text_within(MAX_ITEM_CHARS, 1), 0..=MAX_GOALS),
        prop::bool::weighted(0.2),
        prop::collection::vec(text_within(MAX_ITEM_CHARS, 1), 0..=MAX_STEPS),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.3, (0..400i32, 0..24i8, 0..60i8)),
        prop::option::weighted(0.2, url()),
    );
    (choice, personal).prop_map(
        |(
            (region, variant, large_print, clinic, advice, omit, omit_reversed, allow_clash),
            (patient, therapist, note, goals, blank_goals, steps, ladder, next, qr_url),
        )| LayoutCase {
            region,
            variant,
            large_print,
            clinic,
            advice,
            omit,
            omit_reversed,
            allow_clash,
            patient,
            therapist,
            note,
            goals,
            blank_goals,
            steps,
            ladder,
            next,
            qr_url,
        },
    )
}

fn describe(p: &Positioned) -> String {
    match &p.item {
        Item::Text(t) => format!("text {:?} ({:?})", t.text, p.role),
        Item::Rect(r) => format!("rect {r:?} ({:?})", p.role),
        Item::Image(i) => format!("image {}x{} ({:?})", i.width, i.height, p.role),
        Item::Qr(q) => format!("QR code of {} modules ({:?})", q.count, p.role),
        Item::Link(l) => format!("link to {} ({:?})", l.url, p.role),
        Item::Polygon(poly) => format!("polygon {:?} ({:?})", poly.points, p.role),
    }
}

fn is_alert_frame(p: &Positioned, style: &Style) -> bool {
    matches!(&p.item, Item::Rect(r) if r.stroke.is_some_and(|(color, _)| color == style.alert_color))
}

fn check_document(style: &Style, doc: &Document) -> Result<(), TestCaseError> {
    let s = style;
    const EPS: f32 = 0.01;
    prop_assert!(!doc.pages.is_empty());
    for (pi, page) in doc.pages.iter().enumerate() {
        prop_assert_eq!(page.width, s.page_width);
        prop_assert_eq!(page.height, s.page_height);
        for p in &page.items {
            let (left, right, top, bottom) = extent(p);
            let what = || format!("page {pi}: {}", describe(p));
            prop_assert!(left >= s.margin_x - EPS, "left {} {}", left, what());
            prop_assert!(top >= s.margin_top - EPS, "top {} {}", top, what());
            let limits = [
                ("right", right, s.page_width - s.margin_x),
                ("bottom", bottom, s.page_height - s.margin_bottom),
            ];
            for (side, at, limit) in limits {
                prop_assert!(at <= limit + EPS, "{} {} > {} {}", side, at, limit, what());
            }
        }
    }

    // The red-flag box: all of it on one page, inside its frame, which is on that page only.
    let alerts: Vec<NodeId> = (0..doc.nodes.len())
        .filter(|&n| matches!(doc.nodes[n].kind, NodeKind::Section { alert: true, .. }))
        .collect();
    prop_assert_eq!(alerts.len(), 1, "one red-flag box");
    let boxed = subtree(doc, alerts[0]);
    let pages = pages_with(doc, &boxed);
    prop_assert_eq!(pages.len(), 1, "red-flag box on pages {:?}", pages);
    let on = *pages.first().unwrap();
    for (pi, page) in doc.pages.iter().enumerate() {
        let frames = page.items.iter().filter(|p| is_alert_frame(p, s)).count();
        prop_assert_eq!(
            frames,
            usize::from(pi == on),
            "red-flag frames on page {} (box on page {})",
            pi,
            on
        );
    }
    let page = &doc.pages[on];
    let frame = page.items.iter().find(|p| is_alert_frame(p, s)).unwrap();
    let (_, _, frame_top, frame_bottom) = extent(frame);
    for it in &page.items {
        if matches!(it.role, Role::Content(n) if boxed.contains(&n)) {
            let (_, _, top, bottom) = extent(it);
            prop_assert!(
                top > frame_top && bottom < frame_bottom,
                "red-flag {} at {}..{} outside its frame {}..{}",
                describe(it),
                top,
                bottom,
                frame_top,
                frame_bottom
            );
        }
    }

    // The personal note is a box too: never split.
    for n in 0..doc.nodes.len() {
        if matches!(&doc.nodes[n].kind, NodeKind::Section { id, .. } if id == "note") {
            let pages = pages_with(doc, &subtree(doc, n));
            prop_assert_eq!(pages.len(), 1, "note on pages {:?}", pages);
        }
    }
    Ok(())
}

/// Personal blocks that are kept together on one page, by the field `DoesNotFit` names.
fn clinic_engine() -> Engine {
    let plain = Engine::embedded().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clinic.json");
    let clinic = pjece::load_clinic(&fixture, &plain.content, &plain.fonts).unwrap();
    plain.with_clinic(Some(clinic))
}

#[test]
fn any_choice_lays_out_inside_the_margins_with_the_red_flags_whole() {
    let plain = Engine::embedded().unwrap();
    let with_clinic = clinic_engine();
    let shapers = [
        RefCell::new(plain.shaper().unwrap()),
        RefCell::new(with_clinic.shaper().unwrap()),
    ];
    check(200, layout_case(), |case| {
        let engine = if case.clinic { &with_clinic } else { &plain };
        let content = &engine.content;
        let ids = advice_ids(content, case.region, case.variant);
        prop_assert!(ids.len() <= 64, "more advice ids than the strategy covers");
        let mut omittable: Vec<&str> = content
            .patient_blocks(case.region)
            .filter(|b| b.variants.contains(&case.variant) && b.kind != BlockKind::RedFlags)
            .map(|b| b.id.as_str())
            .collect();
        omittable.extend(ids.iter().copied());
        prop_assert!(omittable.len() <= 64, "more ids than the strategy covers");

        let mut c = Choices::new(case.region, date());
        c.variant = case.variant;
        c.large_print = case.large_print;
        c.advice = case.advice.as_ref().map(|mask| {
            ids.iter()
                .zip(mask)
                .filter(|(_, on)| **on)
                .map(|(id, _)| id.to_string())
                .collect()
        });
        c.omit = omittable
            .iter()
            .zip(&case.omit)
            .filter(|(_, on)| **on)
            .map(|(id, _)| id.to_string())
            .collect();
        if !case.allow_clash
            && let Some(chosen) = &c.advice
        {
            c.omit.retain(|id| !chosen.contains(id));
        }
        if case.omit_reversed {
            c.omit.reverse();
        }
        c.patient = case.patient.clone();
        c.therapist = case.therapist.clone();
        c.note = case.note.clone();
        c.goals = case.goals.clone();
        c.blank_goals = case.blank_goals;
        c.steps = case.steps.clone();
        c.ladder = case.ladder;
        c.next = case.next.map(|(days, hour, minute)| {
            date()
                .checked_add(jiff::Span::new().days(days))
                .unwrap()
                .at(hour, minute, 0, 0)
        });
        c.qr_url = case.qr_url.clone();

        let clash = c
            .advice
            .as_ref()
            .and_then(|chosen| c.omit.iter().find(|id| chosen.contains(id)));
        let no_advice = c.advice.as_ref().is_some_and(|a| a.is_empty());
        // Chosen advice inside a section that is left out.
        let hidden = c.advice.as_ref().and_then(|chosen| {
            content
                .patient_blocks(case.region)
                .filter(|b| c.omit.contains(&b.id))
                .flat_map(|b| &b.body)
                .filter_map(|e| match e {
                    Element::Advice(list) => Some(list),
                    _ => None,
                })
                .flat_map(|list| &list.items)
                .filter_map(|i| i.id.clone())
                .find(|id| chosen.contains(id))
        });
        let style = if c.large_print {
            &engine.large_print
        } else {
            &engine.style
        };
        let mut shaper = shapers[usize::from(case.clinic)].borrow_mut();
        match (clash, engine.layout(&c, &mut shaper)) {
            (_, Err(Error::NoAdviceChosen)) if no_advice => {}
            (Some(id), Err(Error::ChosenAndOmitted { id: got })) if !no_advice => {
                prop_assert_eq!(id, &got)
            }
            (None, Err(Error::ChosenInOmitted { id, .. })) if !no_advice => {
                prop_assert_eq!(hidden.as_ref(), Some(&id))
            }
            // Whatever fits the limits fits the page, in large print too: the worst cases are
            // `the_longest_note_fits_in_large_print_with_a_clinic` and
            // `six_longest_ladder_steps_fit_in_large_print`.
            (None, Ok(doc)) if !no_advice && hidden.is_none() => check_document(style, &doc)?,
            // Known limit: in 18 pt large print, with a clinic's logo and long patient and
            // therapist names above it, the red-flag box does not fit under the title on page 1.
            // The safety rule wins: a clear error naming the box and the names, never a box on
            // page 2 (tests/red_flags.rs). A shorter header for long names is open work.
            (None, Err(Error::DoesNotFit { what, detail, .. }))
                if c.large_print
                    && case.clinic
                    && what.starts_with("the red-flag box")
                    && detail.ends_with("or the names") => {}
            (clash, result) => {
                return Err(TestCaseError::fail(format!(
                    "clash {clash:?}: got {:?}",
                    result.map(|d| d.pages.len())
                )));
            }
        }
        Ok(())
    });
}

#[test]
fn the_matcher_allows_only_breaks_inside_words() {
    assert!(contains_allowing_breaks("Til: WWW WW Dato", "Til: WWWWW"));
    assert!(contains_allowing_breaks("Til: Anna Bo", "Anna Bo"));
    assert!(!contains_allowing_breaks("Til: AnnaBo", "Anna Bo"));
    assert!(!contains_allowing_breaks("Til: Anna Bo", "Anna  Bo"));
    assert!(!contains_allowing_breaks("Til: Anna", "Anna Bo"));
}

/// Reduced from `personal_fields_are_printed_or_refused_by_name`: the font lacks U+20DD
/// COMBINING ENCLOSING CIRCLE, and the error must name it, not the letter before it in the same
/// glyph cluster, which the font has (it once did).
#[test]
fn missing_glyph_names_the_character_the_font_lacks() {
    let engine = Engine::embedded().unwrap();
    let mut shaper = engine.shaper().unwrap();
    let mut c = Choices::new(Region::Lumbar, date());
    c.patient = Some("a\u{20DD}".into());
    match engine.build(&c, &mut shaper) {
        Err(Error::MissingGlyph { field, ch, .. }) => {
            assert_eq!(field, Some(Field::Patient));
            assert_eq!(ch, '\u{20DD}', "names {ch:?}");
        }
        other => panic!("{:?}", other.map(|pdf| pdf.len())),
    }
}

/// The widest letter of the body font, and a lumbar handout in large print.
fn large_print_in_the_widest_letter(engine: &Engine) -> (String, Choices) {
    let letter = widest_letter(&mut engine.shaper().unwrap()).to_string();
    let mut c = Choices::new(Region::Lumbar, date());
    c.large_print = true;
    (letter, c)
}

/// The largest note the limits allow, in large print with a clinic profile (whose contact lines
/// make the footer taller): `MAX_NOTE_LINES` lines of the widest letter, all but the last one
/// letter longer than a printed line, so each takes two, and the last with every character
/// left. The box is kept whole, so it must fit on a page.
#[test]
fn the_longest_note_fits_in_large_print_with_a_clinic() {
    let engine = clinic_engine();
    let mut shaper = engine.shaper().unwrap();
    let (letter, mut c) = large_print_in_the_widest_letter(&engine);
    // How many letters a printed line of the note holds: one note line of all of them.
    c.note = Some(letter.repeat(MAX_NOTE_CHARS));
    let one_line = engine.layout(&c, &mut shaper).unwrap();
    let per_line = note_lines(&one_line)[0].chars().count();
    let long = per_line + 1;
    let mut lines = vec![letter.repeat(long); MAX_NOTE_LINES - 1];
    let left = MAX_NOTE_CHARS - (MAX_NOTE_LINES - 1) * (long + 1);
    lines.push(letter.repeat(left));
    let note = lines.join("\n");
    assert_eq!(note.chars().count(), MAX_NOTE_CHARS);
    c.note = Some(note);
    match engine.layout(&c, &mut shaper) {
        Ok(doc) => {
            let printed = note_lines(&doc).len();
            let expected = (MAX_NOTE_LINES - 1) * 2 + left.div_ceil(per_line);
            assert_eq!(printed, expected, "{per_line} letters a line");
        }
        Err(e) => panic!("{e}"),
    }
}

/// The most ladder steps, each as long as allowed in the widest letter, in large print with a
/// clinic profile: the ladder breaks between steps when it must, and the handout lays out.
#[test]
fn six_longest_ladder_steps_fit_in_large_print() {
    let engine = clinic_engine();
    let mut shaper = engine.shaper().unwrap();
    let (letter, mut c) = large_print_in_the_widest_letter(&engine);
    c.steps = vec![letter.repeat(MAX_ITEM_CHARS); MAX_STEPS];
    c.goals = vec![letter.repeat(MAX_ITEM_CHARS); MAX_GOALS];
    if let Err(e) = engine.layout(&c, &mut shaper) {
        panic!("{e}");
    }
}
