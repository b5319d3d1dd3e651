//! What tests set up in their scratch directory beyond a plain write, and read back from it.

use std::path::{Path, PathBuf};

use pjece::content::{Region, Variant};

use super::Dir;

impl Dir {
    /// The names of the files in out/, where [`super::batch`] writes, sorted (none when it does
    /// not exist).
    pub fn handouts(&self) -> Vec<String> {
        super::files(&self.path("out"))
    }

    /// A `--fonts` directory at `name` with the shipped Atkinson Hyperlegible Next fonts as
    /// regular.ttf and bold.ttf; returns its path.
    pub fn shipped_fonts_copy(&self, name: &str) -> PathBuf {
        let fonts = self.path(name);
        std::fs::create_dir(&fonts).unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
        for (from, to) in [
            ("AtkinsonHyperlegibleNext-Regular.ttf", "regular.ttf"),
            ("AtkinsonHyperlegibleNext-Bold.ttf", "bold.ttf"),
        ] {
            std::fs::copy(shipped.join(from), fonts.join(to)).unwrap();
        }
        fonts
    }

    /// Two temporary files in the directory `name` as a batch leaves them: one an hour old,
    /// from a run killed long ago, and one fresh, of a run still writing; returns
    /// (old, fresh).
    pub fn leftovers(&self, name: &str) -> (PathBuf, PathBuf) {
        let old = self.write_an_hour_ago(
            &format!("{name}/.pjece-abc123.tmp"),
            b"%PDF-1.7 half a handout",
        );
        let fresh = self.write(
            &format!("{name}/.pjece-def456.tmp"),
            b"another run, still writing",
        );
        (old, fresh)
    }
}

/// An export of `rows` lumbar patients, "P 0", "P 1" and on.
pub fn lumbar_export(rows: usize) -> String {
    let mut csv = String::from("navn;region\n");
    for i in 0..rows {
        csv.push_str(&format!("P {i};lænd\n"));
    }
    csv
}

/// Every region in full and short, with the arguments that ask for it: `--region REGION
/// [--short]`, then `extra`.
pub fn every_handout<'a>(extra: &[&'a str]) -> Vec<(Region, Variant, Vec<&'a str>)> {
    let mut all = Vec::new();
    for region in Region::ALL {
        for variant in [Variant::Full, Variant::Short] {
            let mut args = vec!["--region", region.name()];
            if variant == Variant::Short {
                args.push("--short");
            }
            args.extend_from_slice(extra);
            all.push((region, variant, args));
        }
    }
    all
}
