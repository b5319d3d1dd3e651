//! The live preview of issue 12: a full lumbar handout laid out and drawn as SVG pages with a
//! warm engine (shaper and glyph outlines kept between redraws, as a server keeps them).
//! Before timing it prints each page's SVG size, raw and gzipped (a server sends it compressed).

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use flate2::{Compression, write::GzEncoder};

use pjece::Engine;
use pjece::content::Region;
use pjece::select::Choices;
use pjece::svg::Preview;

fn choices() -> Choices {
    let mut c = Choices::new(Region::Lumbar, jiff::civil::date(2026, 11, 26));
    c.patient = Some("Søren Ærø".into());
    c.therapist = Some("Mette Kjær".into());
    c.note = Some("Husk øvelserne morgen og aften.".into());
    c
}

fn gzipped(text: &str) -> usize {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap().len()
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let choices = choices();
    let mut shaper = engine.shaper().unwrap();
    let preview = Preview::new(&engine.fonts).unwrap();

    let doc = engine.layout(&choices, &mut shaper).unwrap();
    let pages = preview.pages(&doc);
    for (i, svg) in pages.iter().enumerate() {
        println!(
            "preview page {}: {:.1} KB SVG, {:.1} KB gzipped",
            i + 1,
            svg.len() as f64 / 1000.0,
            gzipped(svg) as f64 / 1000.0
        );
    }

    c.bench_function("preview/layout+svg/warm", |b| {
        b.iter(|| {
            let doc = engine.layout(black_box(&choices), &mut shaper).unwrap();
            black_box(preview.pages(&doc))
        })
    });
    c.bench_function("preview/svg/warm", |b| {
        b.iter(|| black_box(preview.pages(black_box(&doc))))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
