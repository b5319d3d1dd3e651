//! One handout, with content and fonts loaded once (as in a batch).
//!
//! `warm` reuses one shaper, so words are shaped once across iterations (a batch worker);
//! `cold` starts each handout with an empty word cache (a single `pjece build`).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use pjece::content::{Region, Variant};
use pjece::select::{self, Choices};
use pjece::{Engine, layout, render};

fn choices() -> Choices {
    let mut c = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
    c.patient = Some("Søren Ærø".into());
    c.therapist = Some("Mette Kjær".into());
    c.note = Some("Husk øvelserne morgen og aften.".into());
    c
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let choices = choices();
    let mut shaper = engine.shaper().unwrap();

    c.bench_function("handout/full/warm", |b| {
        b.iter(|| black_box(engine.build(black_box(&choices), &mut shaper).unwrap()))
    });
    c.bench_function("handout/full/cold", |b| {
        b.iter(|| {
            let mut shaper = engine.shaper().unwrap();
            black_box(engine.build(black_box(&choices), &mut shaper).unwrap())
        })
    });
    let mut short = choices.clone();
    short.variant = Variant::Short;
    c.bench_function("handout/short/warm", |b| {
        b.iter(|| black_box(engine.build(black_box(&short), &mut shaper).unwrap()))
    });

    c.bench_function("stage/select", |b| {
        b.iter(|| black_box(select::select(&engine.content, None, black_box(&choices)).unwrap()))
    });
    let handout = select::select(&engine.content, None, &choices).unwrap();
    c.bench_function("stage/layout/warm", |b| {
        b.iter(|| {
            let lines = engine.line_cache();
            black_box(
                layout::layout(black_box(&handout), &mut shaper, lines, &engine.style).unwrap(),
            )
        })
    });
    let doc = layout::layout(&handout, &mut shaper, engine.line_cache(), &engine.style).unwrap();
    let fonts = render::PdfFonts::new(&engine.fonts).unwrap();
    c.bench_function("stage/render", |b| {
        b.iter(|| black_box(render::render(black_box(&doc), &fonts, false).unwrap()))
    });
    c.bench_function("setup/engine", |b| {
        b.iter(|| black_box(Engine::embedded().unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
