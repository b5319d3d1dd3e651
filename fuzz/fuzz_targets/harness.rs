//! What the fuzz targets run, shared with `tests/fuzz_regressions.rs` so that a saved input
//! replays exactly the path the fuzzer took. Uses only pjece, serde_json, tempfile and jiff,
//! which the library's tests can use too.
//!
//! Every function takes raw fuzz bytes and must not panic for any of them; `Err` results from
//! the library are fine. The assertions below are the properties the library promises.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use pjece::Engine;
use pjece::batch::input::{self, Encoding, Format, Reader};
use pjece::batch::job::{self, Defaults};
use pjece::color::Color;
use pjece::content::{Audience, Content, Region, Variant};
use pjece::fonts::Weight;
use pjece::layout::linebreak::{Ink, Styled, break_lines};
use pjece::layout::{self, Shaper};
use pjece::select::{self, Choices};
use serde_json::Value;

const GUIDELINE: &str = include_str!("../../content/guideline.json");
const LABELS: &str = include_str!("../../content/labels.json");

/// Reads fuzz bytes front to back; zeros once they run out.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn date() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// Whether to say what each input did (`PJECE_FUZZ_VERBOSE=1`), to check that the inputs reach
/// the code they are meant for.
fn verbose() -> bool {
    static VERBOSE: OnceLock<bool> = OnceLock::new();
    *VERBOSE.get_or_init(|| std::env::var_os("PJECE_FUZZ_VERBOSE").is_some())
}

/// Formats a result as a user would see it (so the messages are fuzzed too) and prints it
/// when verbose.
fn note(what: &str, message: &dyn std::fmt::Display) {
    let message = message.to_string();
    if verbose() {
        eprintln!("{what}: {message}");
    }
}

fn embedded_content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| Content::embedded().expect("the embedded content is valid"))
}

// ---------------------------------------------------------------------------------------------
// content_loader

/// Strings that make the content's own grammar: enum names, markup, placeholders, ids, keys.
/// Random strings rarely get past serde; these reach the validator.
const WORDS: &[&str] = &[
    "",
    " ",
    "x",
    "ø",
    "**",
    "****",
    "**fed**",
    "** **",
    "[^",
    "[^1]",
    "[^a]",
    "[^ä]",
    "[^]",
    "]",
    "tekst[^1] og **fed**",
    "lumbar",
    "cervical",
    "full",
    "short",
    "patient",
    "therapist",
    "red_flags",
    "section",
    "paragraph",
    "list",
    "advice",
    "footnote",
    "link",
    "call",
    "roede-flag",
    "hold-dig-aktiv",
    "a--b",
    "-a",
    "Hold",
    "https://",
    "https://example.org/x",
    "http://x y",
    "{page}",
    "{pages}",
    "{source}",
    "{version}",
    "{date}",
    "{",
    "}",
    "{}",
    "{x}",
    "{page",
    "2026-02-30",
    "2026-11-26",
    "26/11/2026",
    "da-DK",
    "\u{202E}",
    "\u{2028}",
    "\n",
    "\t",
    "\u{0}",
    "\u{feff}",
    "e\u{301}",
    "中",
    "id",
    "type",
    "kind",
    "regions",
    "variants",
    "audience",
    "items",
    "body",
    "heading",
    "text",
    "mark",
    "url",
    "source",
    "months",
    "weekdays",
    "schema_version",
    "with_number",
    "{call}",
    "{n}",
    "{url}",
    "{weekday}",
    "{day}",
    "{month}",
    "{time}",
];

fn word(input: &mut Bytes) -> &'static str {
    WORDS[usize::from(input.byte()) % WORDS.len()]
}

fn number(input: &mut Bytes) -> Value {
    match input.byte() % 8 {
        0 => Value::from(0),
        1 => Value::from(1),
        2 => Value::from(2),
        3 => Value::from(-1),
        4 => Value::from(u64::from(u32::MAX) + 1),
        5 => Value::from(1.5),
        6 => {
            let mut b = [0u8; 8];
            let src = input.take(8);
            b[..src.len()].copy_from_slice(src);
            Value::from(i64::from_le_bytes(b))
        }
        _ => Value::from(u64::MAX),
    }
}

enum Seg {
    Key(String),
    Index(usize),
}

/// Picks a path into `root`: a depth, then a child at each level.
fn walk(root: &Value, input: &mut Bytes) -> Vec<Seg> {
    let mut path = Vec::new();
    let mut v = root;
    for _ in 0..input.byte() % 10 {
        let pick = usize::from(input.byte());
        match v {
            Value::Object(m) if !m.is_empty() => {
                let Some((k, child)) = m.iter().nth(pick % m.len()) else {
                    break;
                };
                path.push(Seg::Key(k.clone()));
                v = child;
            }
            Value::Array(a) if !a.is_empty() => {
                let i = pick % a.len();
                path.push(Seg::Index(i));
                v = &a[i];
            }
            _ => break,
        }
    }
    path
}

fn get_mut<'v>(root: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::Index(i) => v.get_mut(*i),
    })
}

fn get<'v>(root: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(root, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// One change at a fuzz-chosen place of a JSON document.
fn mutate(root: &mut Value, input: &mut Bytes) {
    let path = walk(root, input);
    let op = input.byte() % 12;
    let new = match op {
        0..=2 => Value::from(word(input)),
        3 => {
            let len = usize::from(input.byte());
            Value::from(String::from_utf8_lossy(input.take(len)).into_owned())
        }
        4 => number(input),
        5 => match input.byte() % 3 {
            0 => Value::Null,
            1 => Value::Bool(true),
            _ => Value::Bool(false),
        },
        6 => {
            let n = input.byte() % 3;
            Value::Array((0..n).map(|_| Value::from(word(input))).collect())
        }
        7 => {
            let mut m = serde_json::Map::new();
            if input.byte() % 2 == 1 {
                m.insert(word(input).to_string(), Value::from(word(input)));
            }
            Value::Object(m)
        }
        8 | 9 => {
            // Remove the value, or duplicate it in its array (duplicate ids, blocks, items).
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            match (get_mut(root, parent), last) {
                (Some(Value::Array(a)), Seg::Index(i)) if op == 8 => {
                    a.remove(*i);
                }
                (Some(Value::Array(a)), Seg::Index(i)) => {
                    let copy = a[*i].clone();
                    a.insert(*i, copy);
                }
                (Some(Value::Object(m)), Seg::Key(k)) if op == 8 => {
                    m.remove(k.as_str());
                }
                (Some(Value::Object(m)), _) => {
                    m.insert(word(input).to_string(), Value::from(word(input)));
                }
                _ => {}
            }
            return;
        }
        10 => {
            // Splice a word into a string, at a character boundary.
            let Some(Value::String(s)) = get_mut(root, &path) else {
                return;
            };
            let cuts: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            let at = cuts[usize::from(input.byte()) % cuts.len()];
            s.insert_str(at, word(input));
            return;
        }
        _ => {
            // Copy another part of the document here.
            let from = walk(root, input);
            match get(root, &from) {
                Some(v) => v.clone(),
                None => return,
            }
        }
    };
    if let Some(slot) = get_mut(root, &path) {
        *slot = new;
    }
}

fn bases() -> &'static (Value, Value) {
    static BASES: OnceLock<(Value, Value)> = OnceLock::new();
    BASES.get_or_init(|| {
        (
            serde_json::from_str(GUIDELINE).expect("guideline.json is JSON"),
            serde_json::from_str(LABELS).expect("labels.json is JSON"),
        )
    })
}

/// Content that validated must be usable: every region, variant and audience selects without a
/// panic, and the one that `pick` names also lays out (errors such as a heading too long for
/// the page are fine; laying out all eight would make the target slow).
fn use_content(content: &Content, pick: u8) {
    let mut combination = 0u8;
    for region in Region::ALL {
        for variant in [Variant::Full, Variant::Short] {
            let _ = select::advice_ids(content, region, variant);
            for audience in [Audience::Patient, Audience::Therapist] {
                let mut choices = Choices::new(region, date());
                choices.variant = variant;
                choices.audience = audience;
                choices.patient = Some("Søren Ærø".into());
                choices.note = Some("Husk øvelserne".into());
                choices.ladder = true;
                let selected = select::select(content, None, &choices);
                combination += 1;
                let Ok(handout) = selected else {
                    continue;
                };
                if pick % 8 != combination - 1 {
                    continue;
                }
                SHAPER.with(|shaper| {
                    let style = &engine().style;
                    let lines = engine().line_cache();
                    match layout::layout(&handout, &mut shaper.borrow_mut(), lines, style) {
                        Ok(doc) => note("layout", &format!("{} pages", doc.pages.len())),
                        Err(e) => note("layout", &e),
                    }
                });
            }
        }
    }
    let _ = select::plain_title(content);
}

/// Input: a mode byte, then either raw text (even mode) or edits of the embedded content (odd).
///
/// Raw text is split at the first NUL into guideline and labels (without a NUL the labels are
/// the embedded ones). Edits are a count, then per edit which file, a JSON path and a new value.
pub fn content_loader(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let loaded = if mode % 2 == 0 {
        let (g, l) = match rest.iter().position(|&b| b == 0) {
            Some(i) => (
                String::from_utf8_lossy(&rest[..i]),
                String::from_utf8_lossy(&rest[i + 1..]),
            ),
            None => (String::from_utf8_lossy(rest), Cow::Borrowed(LABELS)),
        };
        Content::from_json(&g, &l)
    } else {
        let (g0, l0) = bases();
        let mut docs = [g0.clone(), l0.clone()];
        let mut input = Bytes(rest);
        for _ in 0..input.byte() % 8 + 1 {
            if input.is_empty() {
                break;
            }
            let which = usize::from(input.byte() % 6 == 0);
            mutate(&mut docs[which], &mut input);
        }
        let g = serde_json::to_string(&docs[0]).expect("a Value serializes");
        let l = serde_json::to_string(&docs[1]).expect("a Value serializes");
        Content::from_json(&g, &l)
    };
    match loaded {
        Ok(content) => {
            note("content", &"loaded");
            use_content(&content, mode >> 1);
        }
        Err(e) => note("content", &e),
    }
}

// ---------------------------------------------------------------------------------------------
// batch_parser

thread_local! {
    static BATCH_DIR: tempfile::TempDir = tempfile::Builder::new()
        .prefix("pjece-fuzz-")
        .tempdir()
        .expect("a temporary directory");
}

/// Input: the bytes of a CSV or JSON Lines file. Read in both formats and both encodings;
/// every record becomes a job (with and without a default region) and every job a selection.
pub fn batch_parser(data: &[u8]) {
    BATCH_DIR.with(|dir| {
        let path = dir.path().join("input");
        std::fs::write(&path, data).expect("the input file is written");
        let defaults = [
            Defaults {
                region: Some(Region::Lumbar),
                variant: Variant::Full,
                date: date(),
            },
            Defaults {
                region: None,
                variant: Variant::Short,
                date: date(),
            },
        ];
        // Every record but the last ends with a line break, so more than this cannot be right.
        let most = data.len() as u64 + 1;
        for format in [Format::Csv, Format::Jsonl] {
            let counted = input::count_rows(&path, format);
            assert!(counted.is_none_or(|n| n <= most), "count_rows: {counted:?}");
            for encoding in [Encoding::Utf8, Encoding::Windows1252] {
                let reader = match Reader::open(&path, format, encoding) {
                    Ok(r) => r,
                    Err(e) => {
                        note("open", &e);
                        continue;
                    }
                };
                let mut rows = 0u64;
                for record in reader {
                    rows += 1;
                    assert!(
                        rows <= most,
                        "{format:?} {encoding:?}: the reader does not end"
                    );
                    let record = match record {
                        Ok(r) => r,
                        Err(e) => {
                            note("record", &e);
                            continue;
                        }
                    };
                    for d in &defaults {
                        let job = match job::job(&record, d) {
                            Ok(j) => j,
                            Err(e) => {
                                note("job", &e);
                                continue;
                            }
                        };
                        check_file_name(&job.file);
                        match select::select(embedded_content(), None, &job.choices) {
                            Ok(_) => note("selected", &job.file),
                            Err(e) => note("select", &job::describe(&e, &job.choices).1),
                        }
                    }
                }
            }
        }
    });
}

/// A job's file name must stay inside the output directory.
fn check_file_name(name: &str) {
    assert!(!name.is_empty(), "empty file name");
    assert!(!name.contains(['/', '\\']), "path in file name {name:?}");
    assert!(!name.starts_with('.'), "hidden file name {name:?}");
    assert!(
        pjece::chars::forbidden(name, false).is_none(),
        "forbidden character in file name {name:?}"
    );
    assert!(name.len() <= 255, "file name of {} bytes", name.len());
}

// ---------------------------------------------------------------------------------------------
// layout_text

/// The line widths tried: narrower than most glyphs, a column, the A4 text width, very wide.
const WIDTHS: [f32; 5] = [5.0, 40.0, 120.0, 481.9, 10_000.0];
const SIZE: f32 = 14.0;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().expect("the embedded engine loads"))
}

thread_local! {
    /// A shaper kept across inputs for the handout layout, as a batch worker keeps one: it
    /// caches the content's words (the engine caches its paragraphs), which keeps layout cheap.
    static SHAPER: RefCell<Shaper<'static>> =
        RefCell::new(engine().shaper().expect("a shaper for the embedded fonts"));
}

/// Breaks `text` at every width and checks the promises of `break_lines`.
fn check_break(shaper: &mut Shaper, text: &Styled) {
    // Mandatory breaks end lines; the line feeds themselves are not drawn.
    let expected: String = text
        .text
        .chars()
        .filter(|c| !matches!(c, '\n' | '\r'))
        .collect();
    let ink = Ink {
        size: SIZE,
        color: Color(0, 0, 0),
    };
    for width in WIDTHS {
        let Ok(lines) = break_lines(shaper, text, ink, width, "fuzz") else {
            continue;
        };
        for (i, line) in lines.iter().enumerate() {
            assert!(
                line.width <= width + 0.01,
                "line {i} is {} wide, more than {width}",
                line.width
            );
        }
        let joined: String = lines
            .iter()
            .flat_map(|l| l.runs.iter().map(|(_, r)| r.text.as_str()))
            .collect();
        assert_eq!(joined, expected, "text lost or added at width {width}");
    }
}

/// Input: two flags bytes, then text; 0xFF bytes (never part of UTF-8) split it into pieces
/// that alternate between regular and bold. The pieces are also the personal fields of a
/// handout laid out for both regions: patient, therapist, note, and with flags goals, ladder
/// steps and a QR address.
pub fn layout_text(data: &[u8]) {
    let mut input = Bytes(data);
    let (flags, more) = (input.byte(), input.byte());
    let parts: Vec<String> = input
        .0
        .split(|&b| b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let mut text = Styled::default();
    for (i, part) in parts.iter().enumerate() {
        let bold = (i + usize::from(flags & 1)) % 2 == 1;
        text.push(part, if bold { Weight::Bold } else { Weight::Regular });
    }
    // A fresh shaper: long fuzz words would fill a kept one's cache.
    let mut shaper = engine().shaper().expect("a shaper for the embedded fonts");
    check_break(&mut shaper, &text);

    let part = |i: usize, max: usize| -> String {
        let p = parts.get(i).unwrap_or(&parts[0]);
        p.chars().take(max).collect()
    };
    let items: Vec<String> = parts
        .iter()
        .take(select::MAX_GOALS)
        .map(|p| p.chars().take(select::MAX_ITEM_CHARS).collect())
        .collect();
    SHAPER.with(|shaper| {
        let shaper = &mut shaper.borrow_mut();
        for region in Region::ALL {
            let mut choices = Choices::new(region, date());
            if flags & 2 != 0 {
                choices.variant = Variant::Short;
            }
            choices.large_print = flags & 0x10 != 0;
            choices.patient = Some(part(0, select::MAX_NAME_CHARS));
            choices.therapist = Some(part(1, select::MAX_NAME_CHARS));
            choices.note = Some(part(2, select::MAX_NOTE_CHARS));
            if flags & 0x20 != 0 {
                choices.goals = items.clone();
            }
            if flags & 0x40 != 0 {
                choices.steps = items.clone();
            }
            if flags & 0x80 != 0 {
                choices.qr_url = Some(format!(
                    "https://example.org/{}",
                    part(3, select::MAX_URL_CHARS - 20)
                ));
            }
            if more & 1 != 0 {
                choices.audience = Audience::Therapist;
            }
            choices.blank_goals = more & 2 != 0;
            choices.ladder = more & 4 != 0;
            if more & 8 != 0 {
                choices.next = Some(jiff::civil::date(2026, 12, 3).at(10, 30, 0, 0));
            }
            match engine().layout(&choices, shaper) {
                Ok(doc) => {
                    assert!(!doc.pages.is_empty(), "a handout without pages");
                    note("layout", &format!("{region}: {} pages", doc.pages.len()));
                    // Writing the PDF costs more than all the rest (deflate): only for a few
                    // inputs, so that the fuzzer spends its time on layout.
                    if flags & 0x0C == 0x0C && more & 0x30 == 0x30 && region == Region::Lumbar {
                        match engine().render(&doc) {
                            Ok(pdf) => note("render", &format!("{} bytes", pdf.len())),
                            Err(e) => note("render", &e),
                        }
                    }
                }
                Err(e) => {
                    let (column, message) = job::describe(&e, &choices);
                    note("layout", &format!("{region}: {column:?} {message}"));
                }
            }
        }
    });
}
