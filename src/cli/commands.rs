//! `build`, `list`, `check` and `clinic init`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use jiff::civil::Date;

use super::args::BuildArgs;
use super::engine::{load_content, prove_clinic};
use pjece::content::{Audience, BlockKind, Content, Element, Region, Variant, markup};
use pjece::fonts::FontSet;
use pjece::layout::Style;
use pjece::select::{self, Choices};
use pjece::{Engine, Error, output};

/// Today's date, or the date of SOURCE_DATE_EPOCH when it is set (reproducible builds). A value
/// that is not a date from 1970 on is an error, not a handout dated 1969 or today.
pub fn today() -> Result<Date> {
    let Some(epoch) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(jiff::ZonedDateTime::now().date());
    };
    let bad = || {
        anyhow::anyhow!(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 (UTC), such as \
             1796083200 for 2026-12-01; it is '{}'",
            pjece::chars::shown(&epoch.to_string_lossy())
        )
    };
    let secs: i64 = epoch
        .to_str()
        .and_then(|s| s.trim().parse().ok())
        .filter(|&s| s >= 0)
        .ok_or_else(bad)?;
    let ts = jiff::Timestamp::from_second(secs).map_err(|_| bad())?;
    Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

pub fn build(args: BuildArgs) -> Result<()> {
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout {
        super::stdout::ensure_open().context("cannot write to standard output")?;
    }
    if !to_stdout
        && args
            .output
            .extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case("pdf"))
    {
        bail!(
            "{}: the output file should end in .pdf",
            args.output.display()
        );
    }
    let engine = args.engine.load_unproven()?;
    let mut choices = Choices::new(
        args.region,
        match args.date {
            Some(d) => d,
            None => today()?,
        },
    );
    choices.variant = if args.short {
        Variant::Short
    } else {
        Variant::Full
    };
    choices.advice = args.advice.map(|ids| clean_ids(&ids));
    choices.omit = clean_ids(&args.omit);
    choices.patient = args.patient;
    choices.therapist = args.therapist;
    choices.note = args.note;
    choices.goals = args.goals;
    choices.blank_goals = args.blank_goals;
    choices.steps = args.steps;
    choices.ladder = args.ladder;
    choices.next = args.next;
    choices.qr_url = args.qr;
    choices.no_qr = args.no_qr;
    choices.large_print = args.large_print;
    choices.audience = args.audience.into();
    let mut shaper = engine.shaper()?;
    // A handout that cannot be made with the profile is the profile's error when no sample
    // can be made with it either (as `batch` and `check` report it).
    let bytes = match engine.build(&choices, &mut shaper) {
        Ok(bytes) => bytes,
        Err(e) => {
            prove_clinic(&engine)?;
            return Err(e.into());
        }
    };
    if to_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)
            .and_then(|_| out.flush())
            .context("cannot write to standard output")?;
    } else {
        output::write_atomic(&args.output, &bytes)?;
    }
    Ok(())
}

fn clean_ids(ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn first_words(s: &str, n: usize) -> String {
    let plain = markup::plain(s);
    let words: Vec<&str> = plain.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

pub fn list(content: &Content, region: Option<Region>, short: bool) -> Result<()> {
    let variant = if short { Variant::Short } else { Variant::Full };
    let mut out = std::io::stdout().lock();
    let regions = region.map_or(Region::ALL.to_vec(), |r| vec![r]);
    for (i, region) in regions.into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let version = if short {
            "short version"
        } else {
            "full version"
        };
        writeln!(out, "{region} ({}), {version}:", region.danish_name())?;
        let advice = select::advice_ids(content, region, variant);
        for block in content
            .patient_blocks(region)
            .filter(|b| b.variants.contains(&variant))
        {
            let note = if block.kind == BlockKind::RedFlags {
                "  [always included]"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:<30} {}{note}",
                block.id,
                markup::plain(block.heading.get(region, variant))
            )?;
            for element in &block.body {
                let Element::Advice(l) = element else {
                    continue;
                };
                for item in &l.items {
                    let Some(id) = item.id.as_deref().filter(|id| advice.contains(id)) else {
                        continue;
                    };
                    writeln!(
                        out,
                        "    {:<28} {}",
                        id,
                        first_words(item.text.get(region, variant), 7)
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub fn clinic_init(output: Option<PathBuf>, force: bool) -> Result<()> {
    let path = match output {
        Some(p) => p,
        None => {
            let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
                Some(dir) => PathBuf::from(dir),
                None => PathBuf::from(
                    std::env::var_os("HOME")
                        .context("neither XDG_CONFIG_HOME nor HOME is set; give a file with -o")?,
                )
                .join(".config"),
            };
            let dir = base.join("pjece");
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.join("clinic.json")
        }
    };
    let bytes = pjece::clinic::TEMPLATE.as_bytes();
    if force {
        output::write_atomic(&path, bytes)?
    } else {
        output::write_new(&path, bytes)?
    }
    writeln!(
        std::io::stdout(),
        "wrote {}; replace the values marked UDFYLD, then check it with: pjece check --clinic {}",
        path.display(),
        path.display()
    )?;
    Ok(())
}

pub fn check(dir: Option<&Path>, clinic: Option<&Path>) -> Result<()> {
    let content = load_content(dir)?;
    let fonts = FontSet::embedded();
    let profile = clinic
        .map(|path| pjece::load_clinic(path, &content, &fonts))
        .transpose()?;
    let problems = content.check_glyphs(&|weight, text| fonts.first_missing(weight, text));
    if !problems.is_empty() {
        return Err(Error::InvalidContent(problems).into());
    }
    // Lay out every document too: a red-flag box too long for page 1 is found here, not at build.
    let engine = Engine::new(content.clone(), fonts, Style::standard())?.with_clinic(profile);
    prove_clinic(&engine)?;
    pjece::layout::check_every_document(&engine)?;
    if let (Some(path), Some(profile)) = (clinic, &engine.clinic) {
        let region = profile.region.as_ref().map_or(
            "no region (the red-flag box keeps the guideline's wording)".to_string(),
            |r| format!("{}: {}", r.name, r.call),
        );
        writeln!(
            std::io::stdout(),
            "{}: ok: {}; {region}",
            path.display(),
            profile.name.as_deref().unwrap_or("(no name)")
        )?;
    }
    let g = &content.guideline;
    let advice = g
        .blocks
        .iter()
        .filter(|b| b.audience == Audience::Patient)
        .flat_map(|b| &b.body)
        .filter_map(|e| match e {
            Element::Advice(l) => Some(l.items.len()),
            _ => None,
        })
        .sum::<usize>();
    writeln!(
        std::io::stdout(),
        "{}: ok: {} blocks, {advice} pieces of advice, content version {} ({})",
        content.origin,
        g.blocks.len(),
        g.meta.content_version,
        g.meta.content_date
    )?;
    Ok(())
}
