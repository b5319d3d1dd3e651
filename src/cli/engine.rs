//! The engine as the command line sets it up: content, fonts and clinic profile, the profile
//! proven before any handout is made, and whether the PDFs are archival. Flattened into every
//! command that makes handouts.

use std::path::{Path, PathBuf};

use pjece::clinic::{self, Clinic};
use pjece::content::{Content, Region};
use pjece::fonts::FontSet;
use pjece::layout::Style;
use pjece::select::Choices;
use pjece::{Engine, Error, Problem};

/// `--content`, `--fonts`, `--clinic`, `--no-clinic` and `--pdfa`.
#[derive(clap::Args, Debug, Clone)]
pub struct EngineArgs {
    /// Use a content directory instead of the embedded content.
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Use the fonts regular.ttf and bold.ttf from this directory instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub fonts: Option<PathBuf>,
    /// A clinic profile (JSON; default: $XDG_CONFIG_HOME/pjece/clinic.json when it exists).
    #[arg(long, value_name = "FILE")]
    pub clinic: Option<PathBuf>,
    /// Ignore the default clinic profile.
    #[arg(long, conflicts_with = "clinic")]
    pub no_clinic: bool,
    /// Make archival PDF/A-2a files (for records and digital mail), still PDF/UA-1.
    #[arg(long)]
    pub pdfa: bool,
}

impl EngineArgs {
    /// Loads the content, the fonts and the clinic profile, in that order, and proves the
    /// profile, so a fault in it is reported once, as the profile's, not as every handout's.
    pub fn load(&self) -> Result<Engine, Error> {
        let engine = self.load_unproven()?;
        prove_clinic(&engine)?;
        Ok(engine)
    }

    /// [`EngineArgs::load`] without proving the profile: for `build`, which makes one handout
    /// and proves the profile only when that fails (the proof is four sample handouts, more
    /// than the handout itself costs).
    pub fn load_unproven(&self) -> Result<Engine, Error> {
        let content = load_content(self.content.as_deref())?;
        let fonts = match &self.fonts {
            Some(dir) => FontSet::load_dir(dir)?,
            None => FontSet::embedded(),
        };
        let profile = self.profile(&content, &fonts)?;
        let engine = Engine::new(content, fonts, Style::standard())?
            .with_clinic(profile)
            .with_pdfa(self.pdfa);
        Ok(engine)
    }

    /// The profile to use: the one given, else the default one unless switched off; checked
    /// against the fonts the handouts are set in.
    fn profile(&self, content: &Content, fonts: &FontSet) -> Result<Option<Clinic>, Error> {
        let path = match (&self.clinic, self.no_clinic) {
            (Some(p), _) => Some(p.clone()),
            (None, false) => clinic::default_path(),
            (None, true) => None,
        };
        path.map(|p| pjece::load_clinic(&p, content, fonts))
            .transpose()
    }
}

/// Lays out and writes a sample handout for each region, in both print sizes, with the
/// engine's clinic profile. The logo is decoded only as the PDF is written, so this is where a
/// broken one shows; when the samples fail and succeed without the logo, it is the logo's fault.
pub fn prove_clinic(engine: &Engine) -> Result<(), Error> {
    let Some(clinic) = &engine.clinic else {
        return Ok(());
    };
    let samples = |engine: &Engine| -> Result<(), Error> {
        let mut shaper = engine.shaper()?;
        for region in Region::ALL {
            for large_print in [false, true] {
                let mut choices = Choices::new(region, jiff::civil::date(2026, 1, 1));
                choices.large_print = large_print;
                engine.build(&choices, &mut shaper)?;
            }
        }
        Ok(())
    };
    let Err(error) = samples(engine) else {
        return Ok(());
    };
    let logo_at_fault = || -> Result<bool, Error> {
        let without = Clinic {
            logo: None,
            ..clinic.clone()
        };
        let engine = Engine::new(
            engine.content.clone(),
            engine.fonts.clone(),
            Style::standard(),
        )?
        .with_clinic(Some(without))
        .with_pdfa(engine.pdfa);
        Ok(samples(&engine).is_ok())
    };
    let problem = match &clinic.logo {
        Some(logo) if logo_at_fault()? => {
            let reason = match &error {
                Error::Pdf(reason) => reason.trim_start_matches("failed to process image: "),
                other => &other.to_string(),
            };
            let message = match reason.strip_prefix("the logo ") {
                // Readable, but not in a PDF/A file (--pdfa).
                Some(why) if why.starts_with("is a CMYK image") => format!("{}: {why}", logo.file),
                _ => format!("{}: cannot be read as an image ({reason})", logo.file),
            };
            Problem {
                file: clinic.path.display().to_string(),
                path: "logo".into(),
                message,
            }
        }
        _ => Problem {
            file: clinic.path.display().to_string(),
            path: String::new(),
            message: format!(
                "no handout can be made with this profile: {}",
                super::messages::message(&error)
            ),
        },
    };
    Err(Error::InvalidClinic(vec![problem]))
}

/// The content in `dir`, or the embedded content when none is given.
pub fn load_content(dir: Option<&Path>) -> Result<Content, Error> {
    match dir {
        Some(dir) => Content::load_dir(dir),
        None => Content::embedded(),
    }
}
