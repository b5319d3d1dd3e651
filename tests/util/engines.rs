//! Engines for tests that lay handouts out in-process, with and without a clinic profile.

use std::path::Path;

use pjece::Engine;

/// The embedded engine with the clinic profile at `file` (a path from the source tree's root).
pub fn with_clinic(file: &str) -> Engine {
    let plain = Engine::embedded().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let clinic = pjece::load_clinic(&path, &plain.content, &plain.fonts).unwrap();
    plain.with_clinic(Some(clinic))
}

/// The embedded engine without a clinic ("no clinic"), then one for each named profile in
/// `clinics` (name for messages, file).
pub fn with_and_without_clinics(clinics: &[(&'static str, &str)]) -> Vec<(&'static str, Engine)> {
    let mut engines = vec![("no clinic", Engine::embedded().unwrap())];
    engines.extend(
        clinics
            .iter()
            .map(|&(name, file)| (name, with_clinic(file))),
    );
    engines
}
