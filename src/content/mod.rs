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
use crate::files;
// Only for batch/mod.rs, which is being changed elsewhere; drop it once that names
// crate::error::io_reason, the one definition.
pub use crate::error::io_reason;
use crate::fonts::Weight;
use crate::out_of_hours::OutOfHours;

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
        if let Some(reason) = crate::files::not_a_directory(dir) {
            return Err(Error::ContentDir {
                path: dir.to_path_buf(),
                reason,
            });
        }
        let read = |name: &str| -> Result<String, Vec<Problem>> {
            let path = dir.join(name);
            read_limited(&path).map_err(|message| {
                vec![Problem {
                    file: display_path(&path),
                    path: String::new(),
                    message,
                }]
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
        guideline: Parsed<Guideline>,
        labels: Parsed<Labels>,
        out_of_hours: Parsed<OutOfHours>,
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
            (Ok((guideline, g)), Ok((labels, l)), Ok((out_of_hours, o))) => {
                let mut problems: Vec<Problem> = g.into_iter().chain(l).chain(o).collect();
                problems.extend(validate::guideline(&guideline, &file(GUIDELINE_FILE)));
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
            // A file that does not parse is one problem; the others' unknown fields still count.
            (g, l, o) => Err(Error::InvalidContent(
                [g.map(|p| p.1), l.map(|p| p.1), o.map(|p| p.1)]
                    .into_iter()
                    .flat_map(|r| r.unwrap_or_else(|e| e))
                    .collect(),
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
    let bytes = files::read(path, MAX_FILE_BYTES).map_err(|e| {
        e.reason(
            "a JSON file",
            &format!("content files may be at most {MAX_FILE_BYTES} bytes"),
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

pub(crate) fn display_path(p: &Path) -> String {
    p.display().to_string()
}

/// A parsed file and its unknown fields, or the problems up to the one that stopped parsing.
type Parsed<T> = Result<(T, Vec<Problem>), Vec<Problem>>;

/// Parses one content file. Unknown fields of the outer structures (the guideline, its meta
/// and blocks, labels, regions) are collected rather than refused, so a typo does not hide
/// the file's other problems; elements refuse them (serde buffers tagged enums, so the
/// collector would not see inside them).
fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Parsed<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let de = &mut serde_json::Deserializer::from_str(text);
    let mut unknown = Vec::new();
    let mut note_unknown = |path: serde_ignored::Path<'_>| unknown.push(json_path(&path));
    let value =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(de, &mut note_unknown));
    // A misspelt required field shows as both: the unknown name and the missing one.
    let mut problems: Vec<Problem> = unknown
        .into_iter()
        .map(|path| Problem {
            file: file.to_string(),
            path,
            message: "is not a field pjece knows; check its spelling against content/README.md"
                .into(),
        })
        .collect();
    match value {
        Ok(value) => Ok((value, problems)),
        Err(e) => {
            let path = e.path().to_string();
            problems.push(Problem {
                file: file.to_string(),
                path: if path == "." { String::new() } else { path },
                message: e.into_inner().to_string(),
            });
            Err(problems)
        }
    }
}

/// `blocks[3].heading`, the way the other problems name places.
fn json_path(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", json_path(parent)),
        Path::Map { parent, key } => match json_path(parent) {
            p if p.is_empty() => key.clone(),
            p => format!("{p}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => json_path(parent),
    }
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
        let errs = parse::<Guideline>("g.json", r#"{"schema_version": "one"}"#).unwrap_err();
        let [err] = &errs[..] else { panic!("{errs:?}") };
        assert_eq!(err.path, "schema_version");
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }
}
