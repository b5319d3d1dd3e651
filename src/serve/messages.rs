//! The library's errors about choices, said in Danish at the form field they belong to.
//! Messages never repeat what was typed (a name in the wrong field would be echoed).

use pjece::Error;

use super::form::{FieldError, FormField};

/// The form field a library field name points at.
// TODO(typed Field): match the library's `Field` enum here once it lands.
fn field(name: &str) -> Option<FormField> {
    Some(match name {
        "patient" => FormField::Patient,
        "therapist" => FormField::Therapist,
        "note" | "'note'" => FormField::Note,
        "date" => FormField::Date,
        "next" => FormField::NextDate,
        "goal" | "goals" => FormField::Goals,
        "step" | "steps" | "ladder steps" => FormField::Steps,
        "qr" => FormField::Qr,
        _ => return None,
    })
}

/// The option of `pjece build` a patient-only choice comes from.
fn option_field(option: &str) -> FormField {
    match option {
        "--advice" => FormField::Advice,
        "--omit" => FormField::Omit,
        "--note" => FormField::Note,
        "--goal" | "--blank-goals" => FormField::Goals,
        "--step" | "--ladder" => FormField::Steps,
        "--next" => FormField::NextDate,
        "--qr" => FormField::Qr,
        _ => FormField::Audience,
    }
}

/// An error about the choices as a field error, or `None` for an error that is the
/// server's (content, fonts, PDF writer): those are logged and answered with 500.
pub fn field_error(error: &Error) -> Option<FieldError> {
    let at = |name: &str, message: String| FieldError {
        field: field(name),
        message,
    };
    let label = |name: &str| field(name).map_or("Feltet", FormField::label);
    Some(match error {
        Error::UnknownId { what, .. } => {
            let f = if *what == "advice id" {
                FormField::Advice
            } else {
                FormField::Omit
            };
            FieldError::at(
                f,
                "Et af de valgte råd eller afsnit findes ikke i denne udgave for dette område. \
                 Se listen igen.",
            )
        }
        Error::RedFlagsRequired { .. } => FieldError::at(
            FormField::Omit,
            "Afsnittet om hvornår man skal søge læge er altid med og kan ikke udelades.",
        ),
        Error::ChosenAndOmitted { .. } | Error::ChosenInOmitted { .. } => FieldError::at(
            FormField::Omit,
            "Et valgt råd står i et afsnit, der er udeladt. Fjern fluebenet ved rådet eller \
             ved »Udelad afsnittet«.",
        ),
        Error::NotInTherapistGuide { option } => FieldError::at(
            option_field(option),
            "Samtaleguiden til terapeuten viser alle råd og ingen personlige afsnit; \
             dette valg hører kun til pjecen til patienten.",
        ),
        Error::NoAdviceChosen => FieldError::at(FormField::Advice, "Vælg mindst ét råd."),
        Error::UnknownRegion(_) => {
            FieldError::at(FormField::Region, "Vælg området: lænd eller nakke.")
        }
        Error::InvalidDate { field, .. } => at(
            field,
            format!(
                "{} skal skrives som ÅÅÅÅ-MM-DD, fx 2026-12-03.",
                label(field)
            ),
        ),
        Error::FieldTooLong { field, len, max } => at(
            field,
            format!(
                "{} er {len} tegn lang; der er plads til højst {max} tegn.",
                label(field)
            ),
        ),
        Error::InvalidValue { field: f, .. } if f == "next" => FieldError::at(
            FormField::NextDate,
            "Næste tid ligger før pjecens dato; skriv en kommende tid.",
        ),
        Error::InvalidValue { field: f, .. } if f == "qr" => FieldError::at(
            FormField::Qr,
            "QR-adressen skal være en webadresse, der begynder med https://, fx \
             https://www.klinik.dk/øvelser.",
        ),
        Error::InvalidValue { field, .. } => {
            at(field, format!("{} kan ikke bruges i pjecen.", label(field)))
        }
        Error::TooMany { what, count, max } => at(
            what,
            format!(
                "Der er {count} linjer i {}; der er plads til højst {max}.",
                label(what).to_lowercase()
            ),
        ),
        Error::TooManyLines { field, lines, max } => at(
            field,
            format!(
                "{} har {lines} linjer; der er plads til højst {max}.",
                label(field)
            ),
        ),
        Error::ForbiddenChar { field, ch, .. } => at(
            field,
            format!(
                "{} indeholder tegnet {}, som ikke kan udskrives; fjern det.",
                label(field),
                pjece::chars::describe(*ch)
            ),
        ),
        Error::MissingGlyph { field, ch, .. } => at(
            field,
            format!(
                "{} indeholder tegnet {}, som skrifttypen ikke kan vise; fjern det.",
                label(field),
                pjece::chars::describe(*ch)
            ),
        ),
        Error::DoesNotFit { .. } => FieldError {
            field: Some(FormField::Note),
            message: "Teksten kan ikke være på siden; gør noten eller de personlige felter \
                      kortere."
                .into(),
        },
        Error::ContentDir { .. }
        | Error::InvalidContent(_)
        | Error::InvalidClinic(_)
        | Error::RedFlagsIncomplete { .. }
        | Error::BadFont { .. }
        | Error::Input(_)
        | Error::Pdf(_)
        | Error::Output { .. } => return None,
    })
}
