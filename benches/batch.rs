//! A batch of 200 rows into separate files, in-process (content and fonts loaded once).
//! Whole-process timing of a 1000-row batch is done with hyperfine (see README).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use pjece::Engine;
use pjece::batch::input::{Encoding, Format};
use pjece::batch::{self, job::Defaults};
use pjece::content::Variant;

fn input(rows: usize) -> String {
    let names = [
        "Søren Ærø",
        "Åse Øberg",
        "Bjørn Ødegård",
        "Mette Kjær",
        "Anna Bæk",
    ];
    let mut s = String::from("navn;region;variant;råd;behandler;dato;note\n");
    for i in 0..rows {
        let region = if i % 2 == 0 { "lænd" } else { "nakke" };
        let variant = if i % 3 == 0 { "kort" } else { "fuld" };
        let advice = if i % 4 == 0 {
            "hold-dig-aktiv;tag-ansvar;daglige-vaner"
        } else {
            ""
        };
        let note = if i % 5 == 0 {
            "Husk øvelserne morgen og aften."
        } else {
            ""
        };
        s.push_str(&format!(
            "{} {i};{region};{variant};\"{advice}\";Mette Kjær;2026-12-03;{note}\n",
            names[i % names.len()]
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, input(200)).unwrap();
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get()) + 1;
    let opts = batch::Options {
        input: csv,
        format: Format::Csv,
        encoding: Encoding::Utf8,
        out_dir: dir.path().join("out"),
        defaults: Defaults {
            region: None,
            variant: Variant::Full,
            date: jiff::civil::date(2026, 12, 3),
        },
        combined: None,
        duplex: false,
        check: false,
        force: true,
        jobs,
        date_given: true,
        cancel: None,
    };
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Elements(200));
    group.bench_function("200-rows-separate-files", |b| {
        b.iter(|| black_box(batch::run(&engine, &opts, &mut |_| {}).unwrap()))
    });
    let check = batch::Options {
        check: true,
        ..opts.clone()
    };
    group.bench_function("200-rows-check-only", |b| {
        b.iter(|| black_box(batch::run(&engine, &check, &mut |_| {}).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
