//! The table of words shaped ahead of time (`src/layout/preshaped.rs`): it must be exactly what
//! rustybuzz makes of the same words with today's fonts and code, and it must spare a plain
//! `pjece build` all shaping. After a change of font, content or rustybuzz, the first test fails;
//! `PJECE_BLESS=1 cargo test --test preshaped` writes the table anew (the tests that read it pass
//! from the next build on).

use std::path::Path;

use jiff::civil::{Date, date};
use pjece::Engine;
use pjece::content::{Audience, Region, Variant};
use pjece::fonts::{FontFile, FontSet};
use pjece::layout::Shaper;
use pjece::select::Choices;

const TABLE: &str = "src/layout/preshaped.bin";

/// Every document the embedded content makes, with the labels of the fill-in blocks.
fn documents() -> Vec<Choices> {
    let mut all = Vec::new();
    for region in Region::ALL {
        for variant in Variant::ALL {
            for audience in Audience::ALL {
                for large_print in [false, true] {
                    let mut c = Choices::new(region, date(2026, 11, 26));
                    c.variant = variant;
                    c.audience = audience;
                    c.large_print = large_print;
                    if audience == Audience::Patient {
                        c.blank_goals = true;
                        c.ladder = true;
                    }
                    all.push(c);
                }
            }
        }
    }
    all
}

/// A handout's date for every day of the month, every month and a few years (dates are printed
/// on every page).
fn dates() -> impl Iterator<Item = Date> {
    (1..=31).map(|day: i8| date(2026 + i16::from(day % 5), (day - 1) % 12 + 1, day))
}

/// The table as the layout of every document makes it today.
fn table_of_today(engine: &Engine) -> Vec<u8> {
    let mut shaper = engine.shaper().unwrap();
    for choices in documents() {
        engine.layout(&choices, &mut shaper).unwrap();
    }
    for day in dates() {
        let choices = Choices::new(Region::Lumbar, day);
        engine.layout(&choices, &mut shaper).unwrap();
    }
    shaper.preshaped_table()
}

#[test]
fn the_table_is_what_rustybuzz_makes_today() {
    let engine = Engine::embedded().unwrap();
    let made = table_of_today(&engine);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    if std::env::var_os("PJECE_BLESS").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let committed = std::fs::read(&path).unwrap();
    assert!(
        committed == made,
        "{TABLE} ({} bytes) is not what the fonts and rustybuzz make today ({} bytes); \
         run `PJECE_BLESS=1 cargo test --test preshaped` (it writes the table; the next build \
         compiles it in) and commit it",
        committed.len(),
        made.len()
    );
}

/// How many texts rustybuzz has shaped for `shaper` once it has laid out `choices`.
fn fresh_words(engine: &Engine, shaper: &mut Shaper, choices: &Choices) -> usize {
    engine.layout(choices, shaper).unwrap();
    shaper.shaped_fresh()
}

#[test]
fn a_handout_of_the_guideline_alone_shapes_no_word_afresh() {
    let engine = Engine::embedded().unwrap();
    for choices in documents().into_iter().chain(dates().map(|d| {
        let mut c = Choices::new(Region::Cervical, d);
        c.variant = Variant::Short;
        c
    })) {
        // A fresh shaper each time: a cold process, as `pjece build` is.
        let mut shaper = engine.shaper().unwrap();
        let fresh = fresh_words(&engine, &mut shaper, &choices);
        assert_eq!(fresh, 0, "{:?} {:?}", choices.region, choices.variant);
    }
}

#[test]
fn personal_text_and_other_fonts_are_shaped_as_they_come() {
    let engine = Engine::embedded().unwrap();
    let mut c = Choices::new(Region::Lumbar, date(2026, 11, 26));
    c.patient = Some("Zoë Wąsowski-Ærø".into());
    let mut shaper = engine.shaper().unwrap();
    assert!(fresh_words(&engine, &mut shaper, &c) > 0);

    // The same fonts, read as a clinic's own files: the table is not theirs, and the handout
    // is the same to the last point.
    let embedded = FontSet::embedded();
    let copy = |f: &FontFile| FontFile::new(f.name.clone(), f.bytes().to_vec());
    let fonts = FontSet::from_files(copy(&embedded.regular), copy(&embedded.bold)).unwrap();
    assert!(embedded.is_embedded() && !fonts.is_embedded());
    let own = Engine::new(engine.content.clone(), fonts, engine.style.clone()).unwrap();
    let mut own_shaper = own.shaper().unwrap();
    let plain = Choices::new(Region::Lumbar, date(2026, 11, 26));
    let theirs = own.layout(&plain, &mut own_shaper).unwrap();
    assert!(own_shaper.shaped_fresh() > 100);
    let mut shaper = engine.shaper().unwrap();
    let ours = engine.layout(&plain, &mut shaper).unwrap();
    assert_eq!(shaper.shaped_fresh(), 0);
    assert_eq!(theirs, ours);
}
