//! Stage 1: the guideline as validated data.
//!
//! [`Content::embedded`] gives the copy compiled into the binary; [`Content::load_dir`] reads
//! a clinic's edited copy with the same schema. Both run [`validate`] so that every later
//! stage can rely on unique ids, parseable markup and a red-flag block for every region.

pub mod markup;
mod model;
mod validate;

use std::path::{Path, PathBuf};

pub use model::*;

use crate::error::{Error, Problem};
use crate::fonts::Weight;

/// The file names inside a content directory.
pub const GUIDELINE_FILE: &str = "guideline.json";
/// The labels file name inside a content directory.
pub const LABELS_FILE: &str = "labels.json";
/// The out-of-hours numbers file name inside a content directory.
pub const OUT_OF_HOURS_FILE: &str = "out_of_hours.json";

/// Content files larger than this are refused before parsing; the real ones are ~30 KB.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

const EMBEDDED_GUIDELINE: &str = include_str!("../../content/guideline.json");
const EMBEDDED_LABELS: &str = include_str!("../../content/labels.json");
const EMBEDDED_OUT_OF_HOURS: &str = include_str!("../../content/out_of_hours.json");

/// The guideline and labels, validated.
#[derive(Debug, Clone)]
pub struct Content {
    /// The guideline.
    pub guideline: Guideline,
    /// The fixed words of the handout.
    pub labels: Labels,
    /// Out-of-hours numbers by region.
    pub out_of_hours: OutOfHours,
    /// Where it came from: `embedded` or a directory.
    pub origin: String,
}

impl Content {
    /// The content compiled into the binary.
    pub fn embedded() -> Result<Content, Error> {
        let guideline = parse(GUIDELINE_FILE, EMBEDDED_GUIDELINE);
        let labels = parse(LABELS_FILE, EMBEDDED_LABELS);
        let out_of_hours = parse(OUT_OF_HOURS_FILE, EMBEDDED_OUT_OF_HOURS);
        Self::finish(guideline, labels, out_of_hours, "embedded".into())
    }

    /// Parses and validates content from the files' text (for tools and fuzzing); the
    /// out-of-hours numbers are the embedded ones.
    pub fn from_json(guideline: &str, labels: &str) -> Result<Content, Error> {
        let g = parse(GUIDELINE_FILE, guideline);
        let l = parse(LABELS_FILE, labels);
        let o = parse(OUT_OF_HOURS_FILE, EMBEDDED_OUT_OF_HOURS);
        Self::finish(g, l, o, "given".into())
    }

    /// Reads and validates `guideline.json` and `labels.json` from a directory.
    pub fn load_dir(dir: &Path) -> Result<Content, Error> {
        if !dir.is_dir() {
            let reason = if dir.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
            return Err(Error::ContentDir {
                path: dir.to_path_buf(),
                reason,
            });
        }
        let read = |name: &str| -> Result<String, Problem> {
            let path = dir.join(name);
            read_limited(&path).map_err(|message| Problem {
                file: display_path(&path),
                path: String::new(),
                message,
            })
        };
        let guideline =
            read(GUIDELINE_FILE).and_then(|s| parse(&display_path(&dir.join(GUIDELINE_FILE)), &s));
        let labels =
            read(LABELS_FILE).and_then(|s| parse(&display_path(&dir.join(LABELS_FILE)), &s));
        let out_of_hours = read(OUT_OF_HOURS_FILE)
            .and_then(|s| parse(&display_path(&dir.join(OUT_OF_HOURS_FILE)), &s));
        Self::finish(guideline, labels, out_of_hours, display_path(dir))
    }

    fn finish(
        guideline: Result<Guideline, Problem>,
        labels: Result<Labels, Problem>,
        out_of_hours: Result<OutOfHours, Problem>,
        origin: String,
    ) -> Result<Content, Error> {
        let file = |name: &str| {
            if origin == "embedded" {
                format!("embedded {name}")
            } else {
                display_path(&PathBuf::from(&origin).join(name))
            }
        };
        match (guideline, labels, out_of_hours) {
            (Ok(guideline), Ok(labels), Ok(out_of_hours)) => {
                let mut problems = validate::guideline(&guideline, &file(GUIDELINE_FILE));
                problems.extend(validate::labels(&labels, &file(LABELS_FILE)));
                problems.extend(validate::out_of_hours(
                    &out_of_hours,
                    &file(OUT_OF_HOURS_FILE),
                ));
                if problems.is_empty() {
                    Ok(Content {
                        guideline,
                        labels,
                        out_of_hours,
                        origin,
                    })
                } else {
                    Err(Error::InvalidContent(problems))
                }
            }
            (g, l, o) => Err(Error::InvalidContent(
                [g.err(), l.err(), o.err()].into_iter().flatten().collect(),
            )),
        }
    }

    /// Every printable string the fonts cannot show: `missing(weight, text)` gives the first
    /// character a weight lacks. Text is checked in both weights, as any of it may be bold.
    pub fn check_glyphs(&self, missing: &dyn Fn(Weight, &str) -> Option<char>) -> Vec<Problem> {
        let file = if self.origin == "embedded" {
            format!("embedded {GUIDELINE_FILE}")
        } else {
            display_path(&PathBuf::from(&self.origin).join(GUIDELINE_FILE))
        };
        let mut problems = Vec::new();
        for (path, text) in validate::texts(&self.guideline) {
            let plain = markup::plain(text);
            for weight in [Weight::Regular, Weight::Bold] {
                if let Some(ch) = missing(weight, &plain) {
                    problems.push(Problem {
                        file: file.clone(),
                        path: path.clone(),
                        message: format!(
                            "contains {}, which the {} font cannot show",
                            crate::chars::describe(ch),
                            if weight == Weight::Bold {
                                "bold"
                            } else {
                                "regular"
                            }
                        ),
                    });
                    break;
                }
            }
        }
        problems
    }

    /// The patient blocks of a region, in order.
    pub fn patient_blocks(&self, region: Region) -> impl Iterator<Item = &Block> {
        self.guideline
            .blocks
            .iter()
            .filter(move |b| b.audience == Audience::Patient && b.regions.contains(&region))
    }
}

fn read_limited(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
    if meta.is_dir() {
        return Err("is a directory, expected a JSON file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "is {} bytes; content files may be at most {MAX_FILE_BYTES} bytes",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| io_reason(&e))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A lowercase description of an I/O error without the "(os error N)" noise.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => s,
            }
        }
    }
}

pub(crate) fn display_path(p: &Path) -> String {
    p.display().to_string()
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        Problem {
            file: file.to_string(),
            path: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_content_is_valid() {
        let c = Content::embedded().expect("embedded content validates");
        assert!(c.guideline.blocks.len() >= 8);
        assert_eq!(c.guideline.meta.language, "da-DK");
    }

    #[test]
    fn regional_wording_replaces_default() {
        let c = Content::embedded().unwrap();
        let title = &c.guideline.meta.title;
        assert_eq!(
            title.get(Region::Lumbar, Variant::Full),
            "Nerverodspåvirkning i lænden"
        );
        assert_eq!(
            title.get(Region::Cervical, Variant::Short),
            "Nerverodspåvirkning i nakken"
        );
    }

    #[test]
    fn type_error_names_json_path() {
        let err = parse::<Guideline>("g.json", r#"{"schema_version": "one"}"#).unwrap_err();
        assert_eq!(err.path, "schema_version");
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }
}
