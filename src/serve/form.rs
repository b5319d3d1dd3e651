//! The form's fields: what the browser sends, kept as typed so the page can show it again,
//! and turned into the library's [`Choices`]. Only the shape is read here (which region, is
//! this a date); everything else is the library's to check, once.

use jiff::civil::Date;

use pjece::content::{Audience, Region, Variant};
use pjece::dates::{parse_appointment, parse_date};
use pjece::field::Field;
use pjece::select::{Choices, in_therapist_guide};

/// A field of the form, as errors point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Region,
    Variant,
    Audience,
    Advice,
    Omit,
    Patient,
    Therapist,
    Date,
    Note,
    Goals,
    Steps,
    NextDate,
    NextTime,
    Qr,
    LargePrint,
}

impl FormField {
    /// The `id` of the input an error links to.
    pub fn id(self) -> &'static str {
        match self {
            FormField::Region => "region-lumbar",
            FormField::Variant => "variant-full",
            FormField::Audience => "audience-patient",
            FormField::Advice => "advice",
            FormField::Omit => "advice",
            FormField::Patient => "patient",
            FormField::Therapist => "therapist",
            FormField::Date => "date",
            FormField::Note => "note",
            FormField::Goals => "goals",
            FormField::Steps => "steps",
            FormField::NextDate => "next-date",
            FormField::NextTime => "next-time",
            FormField::Qr => "qr",
            FormField::LargePrint => "large-print",
        }
    }

    /// The library's field: its stable name is the JSON API's key.
    pub fn field(self) -> Field {
        match self {
            FormField::Region => Field::Region,
            FormField::Variant => Field::Variant,
            FormField::Audience => Field::Audience,
            FormField::Advice => Field::Advice,
            FormField::Omit => Field::Omit,
            FormField::Patient => Field::Patient,
            FormField::Therapist => Field::Therapist,
            FormField::Date => Field::Date,
            FormField::Note => Field::Note,
            FormField::Goals => Field::Goals,
            FormField::Steps => Field::Steps,
            FormField::NextDate | FormField::NextTime => Field::Next,
            FormField::Qr => Field::Qr,
            FormField::LargePrint => Field::LargePrint,
        }
    }

    /// The form field that shows a library field's problems.
    pub fn of(field: Field) -> FormField {
        match field {
            Field::Patient => FormField::Patient,
            Field::Therapist => FormField::Therapist,
            Field::Date => FormField::Date,
            Field::Note => FormField::Note,
            Field::Goals | Field::BlankGoals => FormField::Goals,
            Field::Steps | Field::Ladder => FormField::Steps,
            Field::Next => FormField::NextDate,
            Field::Qr | Field::NoQr => FormField::Qr,
            Field::Region => FormField::Region,
            Field::Variant => FormField::Variant,
            Field::Advice => FormField::Advice,
            Field::Omit => FormField::Omit,
            Field::LargePrint => FormField::LargePrint,
            Field::Audience => FormField::Audience,
        }
    }

    /// The field's name in a Danish sentence ("Patientens navn er for langt").
    pub fn label(self) -> &'static str {
        match self {
            FormField::Region => "Området",
            FormField::Variant => "Udgaven",
            FormField::Audience => "Dokumentet",
            FormField::Advice => "Rådene",
            FormField::Omit => "Afsnittene",
            FormField::Patient => "Patientens navn",
            FormField::Therapist => "Terapeutens navn",
            FormField::Date => "Datoen",
            FormField::Note => "Noten",
            FormField::Goals => "Målene",
            FormField::Steps => "Trinene",
            FormField::NextDate => "Næste tid",
            FormField::NextTime => "Klokkeslættet",
            FormField::Qr => "QR-adressen",
            FormField::LargePrint => "Stor skrift",
        }
    }
}

/// A problem, in Danish, at a field (or, without one, about the handout as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<FormField>,
    pub message: String,
}

impl FieldError {
    pub fn at(field: FormField, message: impl Into<String>) -> FieldError {
        FieldError {
            field: Some(field),
            message: message.into(),
        }
    }
}

/// What the browser sent, as typed.
#[derive(Debug, Clone, Default)]
pub struct Submitted {
    pub region: Option<String>,
    pub variant: Option<String>,
    pub audience: Option<String>,
    pub advice: Vec<String>,
    /// The region and variant whose advice the checklist showed (`lumbar-full`).
    pub advice_for: Option<String>,
    pub omit: Vec<String>,
    pub patient: String,
    pub therapist: String,
    pub date: String,
    pub note: String,
    pub goals: String,
    pub blank_goals: bool,
    pub steps: String,
    pub ladder: bool,
    pub next_date: String,
    pub next_time: String,
    pub qr: String,
    pub no_qr: bool,
    pub large_print: bool,
    pub csrf: String,
    pub action: String,
}

impl Submitted {
    /// Reads an `application/x-www-form-urlencoded` body; repeated keys (`advice`) collect.
    pub fn parse(body: &[u8]) -> Submitted {
        let mut s = Submitted::default();
        for (key, value) in form_urlencoded::parse(body) {
            // Browsers send a textarea's line breaks as CR LF.
            let value = value.replace("\r\n", "\n");
            match &*key {
                "region" => s.region = Some(value),
                "variant" => s.variant = Some(value),
                "audience" => s.audience = Some(value),
                "advice" => s.advice.push(value),
                "advice-for" => s.advice_for = Some(value),
                "omit" => s.omit.push(value),
                "patient" => s.patient = value,
                "therapist" => s.therapist = value,
                "date" => s.date = value,
                "note" => s.note = value,
                "goals" => s.goals = value,
                "blank-goals" => s.blank_goals = true,
                "steps" => s.steps = value,
                "ladder" => s.ladder = true,
                "next-date" => s.next_date = value,
                "next-time" => s.next_time = value,
                "qr" => s.qr = value,
                "no-qr" => s.no_qr = true,
                "large-print" => s.large_print = true,
                "csrf" => s.csrf = value,
                "action" => s.action = value,
                // Unknown keys from a form are ignored: a browser extension may add some.
                _ => {}
            }
        }
        s
    }

    /// A fresh form: the default region, today's date.
    pub fn fresh(region: Region, variant: Variant, today: Date) -> Submitted {
        Submitted {
            region: Some(region.name().into()),
            variant: Some(variant.name().into()),
            audience: Some("patient".into()),
            date: today.to_string(),
            ..Submitted::default()
        }
    }

    /// The form that makes `choices` again, dated `today` (a re-issued handout); `valid` is
    /// the region's advice for the variant, ticked when the choices name none.
    pub fn from_choices(choices: &Choices, today: Date, valid: Vec<String>) -> Submitted {
        let (region, variant) = (choices.region, choices.variant);
        let next = choices.next;
        Submitted {
            region: Some(region.name().into()),
            variant: Some(variant.name().into()),
            audience: Some(
                match choices.audience {
                    Audience::Patient => "patient",
                    Audience::Therapist => "therapist",
                }
                .into(),
            ),
            // No list of advice is all of it; advice left out by id is unticked.
            advice: choices
                .advice
                .clone()
                .unwrap_or(valid)
                .into_iter()
                .filter(|id| !choices.omit.contains(id))
                .collect(),
            advice_for: Some(Submitted::list_key(region, variant)),
            omit: choices.omit.clone(),
            patient: choices.patient.clone().unwrap_or_default(),
            therapist: choices.therapist.clone().unwrap_or_default(),
            date: today.to_string(),
            note: choices.note.clone().unwrap_or_default(),
            goals: choices.goals.join("\n"),
            blank_goals: choices.blank_goals,
            steps: choices.steps.join("\n"),
            ladder: choices.ladder,
            next_date: next.map(|n| n.date().to_string()).unwrap_or_default(),
            next_time: next
                .map(|n| n.strftime("%H:%M").to_string())
                .unwrap_or_default(),
            qr: choices.qr_url.clone().unwrap_or_default(),
            no_qr: choices.no_qr,
            large_print: choices.large_print,
            csrf: String::new(),
            action: String::new(),
        }
    }

    pub fn region(&self) -> Option<Region> {
        self.region.as_deref().and_then(Region::parse)
    }

    pub fn variant(&self) -> Option<Variant> {
        match self.variant.as_deref() {
            Some("full") | None => Some(Variant::Full),
            Some("short") => Some(Variant::Short),
            Some(_) => None,
        }
    }

    pub fn audience(&self) -> Option<Audience> {
        match self.audience.as_deref() {
            Some("patient") | None => Some(Audience::Patient),
            Some("therapist") => Some(Audience::Therapist),
            Some(_) => None,
        }
    }

    /// The checklist key of a region and variant (`lumbar-full`).
    pub fn list_key(region: Region, variant: Variant) -> String {
        format!("{}-{}", region.name(), variant.name())
    }

    /// The choices, or the problems of shape found before the library sees them.
    /// `valid_advice` is the region's advice for the variant: all of it ticked means "all".
    pub fn choices(
        &self,
        today: Date,
        valid_advice: impl Fn(Region, Variant) -> Vec<String>,
    ) -> Result<Choices, Vec<FieldError>> {
        let mut errors = Vec::new();
        let region = self.region().unwrap_or_else(|| {
            errors.push(FieldError::at(
                FormField::Region,
                "Vælg området: lænd eller nakke.",
            ));
            Region::Lumbar
        });
        let variant = self.variant().unwrap_or_else(|| {
            errors.push(FieldError::at(
                FormField::Variant,
                "Vælg den fulde eller den korte udgave.",
            ));
            Variant::Full
        });
        let audience = self.audience().unwrap_or_else(|| {
            errors.push(FieldError::at(
                FormField::Audience,
                "Vælg pjecen til patienten eller samtaleguiden.",
            ));
            Audience::Patient
        });
        let date = match self.date.trim() {
            "" => today,
            d => parse_date(d).unwrap_or_else(|| {
                errors.push(FieldError::at(
                    FormField::Date,
                    "Datoen skal skrives som ÅÅÅÅ-MM-DD, fx 2026-12-03.",
                ));
                today
            }),
        };
        let next = match (self.next_date.trim(), self.next_time.trim()) {
            ("", "") => None,
            ("", _) => {
                errors.push(FieldError::at(
                    FormField::NextDate,
                    "Skriv også datoen for næste tid.",
                ));
                None
            }
            (_, "") => {
                errors.push(FieldError::at(
                    FormField::NextTime,
                    "Skriv også klokkeslættet for næste tid, fx 10:30.",
                ));
                None
            }
            (d, t) => match parse_date(d) {
                None => {
                    errors.push(FieldError::at(
                        FormField::NextDate,
                        "Datoen for næste tid skal skrives som ÅÅÅÅ-MM-DD, fx 2026-12-03.",
                    ));
                    None
                }
                Some(d) => {
                    let at = parse_appointment(&format!("{d} {t}"));
                    if at.is_none() {
                        errors.push(FieldError::at(
                            FormField::NextTime,
                            "Klokkeslættet skal skrives som TT:MM, fx 10:30.",
                        ));
                    }
                    at
                }
            },
        };
        let stale = self
            .advice_for
            .as_deref()
            .is_some_and(|shown| shown != Submitted::list_key(region, variant));
        if stale && audience == Audience::Patient {
            errors.push(FieldError::at(
                FormField::Advice,
                "Listen over råd passer ikke til det valgte område eller den valgte udgave. \
                 Den er nu opdateret: se rådene igen, og tryk så på knappen igen.",
            ));
        }
        if audience == Audience::Therapist {
            errors.extend(self.not_in_guide(&valid_advice(region, variant)));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut choices = Choices::new(region, date);
        choices.variant = variant;
        choices.audience = audience;
        // Filled in alike for both documents: what the guide does not take was refused above,
        // and the library refuses it again should this form miss one.
        let valid = valid_advice(region, variant);
        // All ticked is the default handout; a form has no way to say "no --advice" else.
        let all = valid.len() == self.advice.len() && valid.iter().all(|v| self.advice.contains(v));
        // A post without the checklist (a script's, a bookmark's) means all advice too.
        let listed = self.advice_for.is_some() || !self.advice.is_empty();
        choices.advice = (listed && !all).then(|| self.advice.clone());
        choices.omit = self.omit.clone();
        choices.note = text(&self.note);
        (choices.goals, choices.steps) = (lines(&self.goals), lines(&self.steps));
        choices.blank_goals = self.blank_goals;
        choices.ladder = self.ladder;
        choices.next = next;
        choices.qr_url = text(&self.qr);
        choices.no_qr = self.no_qr;
        choices.patient = text(&self.patient);
        choices.therapist = text(&self.therapist);
        choices.large_print = self.large_print;
        Ok(choices)
    }

    /// The patient's fields filled in for the therapist's guide: each the library refuses in
    /// the guide ([`in_therapist_guide`], the one rule) is an error at its field, all at once
    /// (the page's script disables them, so only a form sent without it meets this).
    fn not_in_guide(&self, valid_advice: &[String]) -> Vec<FieldError> {
        const CLEAR: &str = "Tøm feltet, eller vælg „Pjece til patienten“.";
        const UNTICK: &str = "Fjern fluebenet, eller vælg „Pjece til patienten“.";
        const ALL_ADVICE: &str = "Sæt flueben ved alle råd og fjern dem ved „Udelad hele \
                                  afsnittet“, eller vælg „Pjece til patienten“.";
        let typed = |value: &str| !value.trim().is_empty();
        // The checklist as shown (all ticked, nothing left out) is the guide's "all advice".
        let all = valid_advice.iter().all(|v| self.advice.contains(v));
        let chosen = (self.advice_for.is_some() && !all) || !self.omit.is_empty();
        [
            (
                FormField::Patient,
                Field::Patient,
                typed(&self.patient),
                CLEAR,
            ),
            (FormField::Advice, Field::Advice, chosen, ALL_ADVICE),
            (FormField::Note, Field::Note, typed(&self.note), CLEAR),
            (FormField::Goals, Field::Goals, typed(&self.goals), CLEAR),
            (
                FormField::Goals,
                Field::BlankGoals,
                self.blank_goals,
                UNTICK,
            ),
            (FormField::Steps, Field::Steps, typed(&self.steps), CLEAR),
            (FormField::Steps, Field::Ladder, self.ladder, UNTICK),
            (
                FormField::NextDate,
                Field::Next,
                typed(&self.next_date),
                CLEAR,
            ),
            (
                FormField::NextTime,
                Field::Next,
                typed(&self.next_time),
                CLEAR,
            ),
            (FormField::Qr, Field::Qr, typed(&self.qr), CLEAR),
            (FormField::Qr, Field::NoQr, self.no_qr, UNTICK),
        ]
        .into_iter()
        .filter(|&(_, field, given, _)| given && !in_therapist_guide(field))
        .map(|(form, field, _, fix)| {
            FieldError::at(form, format!("{} {fix}", not_in_guide(form, field)))
        })
        .collect()
    }
}

/// A text field's value: trimmed, `None` when empty.
fn text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// One item per non-empty line.
fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// What the therapist's guide lacks, said of the form field showing `field` (one the library
/// does not take in the guide): `Noten kommer ikke med i samtaleguiden.` Each edge adds its fix.
pub fn not_in_guide(form: FormField, field: Field) -> String {
    match field {
        Field::Advice | Field::Omit => "Samtaleguiden viser altid alle råd og afsnit.".into(),
        Field::BlankGoals => "Samtaleguiden har ingen tomme linjer til mål.".into(),
        Field::Ladder => "Samtaleguiden har ingen trappe med trin.".into(),
        Field::NoQr => "Samtaleguiden har ingen QR-kode at slå fra.".into(),
        _ => format!("{} kommer ikke med i samtaleguiden.", form.label()),
    }
}
