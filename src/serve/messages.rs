//! The library's errors about choices, said in Danish at the form field they belong to: the
//! error's typed `Field` picks the field, its kind picks the words. Messages never repeat what
//! was typed (a name in the wrong field would be echoed).

use pjece::Error;
use pjece::field::Field;

use super::form::{FieldError, FormField, not_in_guide};

/// An error about the choices as a field error, or `None` for an error that is the
/// server's (content, fonts, PDF writer): those are logged and answered with 500.
pub fn field_error(error: &Error) -> Option<FieldError> {
    let form = error.field().map(FormField::of);
    let label = form.map_or("Teksten", FormField::label);
    let message: String = match error {
        Error::UnknownId { .. } => "Et af de valgte råd eller afsnit findes ikke i denne udgave \
                                    for dette område. Se listen igen."
            .into(),
        Error::RedFlagsRequired { .. } => "Afsnittet om hvornår man skal søge læge er altid med \
                                           og kan ikke udelades."
            .into(),
        Error::ChosenAndOmitted { .. } | Error::ChosenInOmitted { .. } => {
            "Et valgt råd står i et afsnit, der er udeladt. Fjern fluebenet ved rådet eller ved \
             »Udelad hele afsnittet«."
                .into()
        }
        Error::NotInTherapistGuide { field } => format!(
            "{} Det hører kun til pjecen til patienten.",
            not_in_guide(FormField::of(*field), *field)
        ),
        Error::NoAdviceChosen => "Vælg mindst ét råd.".into(),
        Error::UnknownRegion(_) => {
            return Some(FieldError::at(
                FormField::Region,
                "Vælg området: lænd eller nakke.",
            ));
        }
        Error::InvalidDate { .. } => {
            format!("{label} skal skrives som ÅÅÅÅ-MM-DD, fx 2026-12-03.")
        }
        Error::FieldTooLong { len, max, .. } => {
            format!("{label} er {len} tegn lang; der er plads til højst {max} tegn.")
        }
        Error::InvalidValue { field, .. } => match field {
            Field::Next => "Næste tid ligger før pjecens dato; skriv en kommende tid.".into(),
            Field::Qr => "QR-adressen skal være en webadresse, der begynder med https://, fx \
                          https://www.klinik.dk/oevelser."
                .into(),
            _ => format!("{label} kan ikke bruges i pjecen."),
        },
        Error::TooMany { count, max, .. } => {
            format!("{label} fylder {count} linjer; der er plads til højst {max}.")
        }
        Error::TooManyLines { lines, max, .. } => {
            format!("{label} har {lines} linjer; der er plads til højst {max}.")
        }
        Error::ForbiddenChar { ch, .. } => format!(
            "{label} indeholder tegnet {}, som ikke kan udskrives; fjern det.",
            pjece::chars::describe(*ch)
        ),
        Error::MissingGlyph { ch, .. } => format!(
            "{label} indeholder tegnet {}, som skrifttypen ikke kan vise; fjern det.",
            pjece::chars::describe(*ch)
        ),
        Error::DoesNotFit { .. } => {
            format!("{label} kan ikke være på siden; gør teksten kortere.")
        }
        Error::ContentDir { .. }
        | Error::InvalidContent(_)
        | Error::InvalidClinic(_)
        | Error::RedFlagsIncomplete { .. }
        | Error::BadFont { .. }
        | Error::Input(_)
        | Error::Pdf(_)
        | Error::Output { .. }
        | Error::OutputExists { .. } => return None,
    };
    Some(FieldError {
        field: form,
        message,
    })
}
