//! Building handouts from Rust: load content and fonts once, then build as many as you need.
//!
//! Run with `cargo run --release --example library`; it writes two PDFs to the current directory.

use pjece::content::{Region, Variant};
use pjece::select::Choices;
use pjece::{Engine, output};

fn main() -> Result<(), pjece::Error> {
    let engine = Engine::embedded()?;
    let mut shaper = engine.shaper()?;

    let mut lumbar = Choices::new(Region::Lumbar, jiff::civil::date(2026, 12, 3));
    lumbar.patient = Some("Søren Ærø".into());
    lumbar.therapist = Some("Mette Kjær".into());
    lumbar.advice = Some(vec![
        "hold-dig-aktiv".into(),
        "undgaa-inaktivitet".into(),
        "tag-ansvar".into(),
    ]);
    output::write_atomic(
        "lumbar-example.pdf".as_ref(),
        &engine.build(&lumbar, &mut shaper)?,
    )?;

    let mut neck = Choices::new(Region::Cervical, jiff::civil::date(2026, 12, 3));
    neck.variant = Variant::Short;
    neck.note = Some("Lav nakkeøvelserne tre gange om dagen.".into());
    output::write_atomic(
        "cervical-example.pdf".as_ref(),
        &engine.build(&neck, &mut shaper)?,
    )?;

    println!("wrote lumbar-example.pdf and cervical-example.pdf");
    Ok(())
}
