//! Library errors as the command line says them: a field by the option that sets it
//! (`--note is 401 characters long`), never by the library's words for it.

use pjece::Error;
use pjece::field::Field;

/// The option that sets `field` on `pjece build`.
pub fn flag(field: Field) -> &'static str {
    match field {
        Field::Patient => "--patient",
        Field::Therapist => "--therapist",
        Field::Date => "--date",
        Field::Note => "--note",
        Field::Goals => "--goal",
        Field::BlankGoals => "--blank-goals",
        Field::Steps => "--step",
        Field::Ladder => "--ladder",
        Field::Next => "--next",
        Field::Qr => "--qr",
        Field::NoQr => "--no-qr",
        Field::Region => "--region",
        Field::Variant => "--short",
        Field::Advice => "--advice",
        Field::Omit => "--omit",
        Field::LargePrint => "--large-print",
        Field::Audience => "--audience",
    }
}

/// The error's message, with the field it is in named by its option.
pub fn message(error: &Error) -> String {
    let (advice, omit) = (flag(Field::Advice), flag(Field::Omit));
    match error {
        Error::ChosenAndOmitted { id } => {
            format!("'{id}' is both chosen with {advice} and left out with {omit}")
        }
        Error::ChosenInOmitted { id, block } => format!(
            "advice '{id}' is chosen with {advice}, but its section '{block}' is left out with {omit}"
        ),
        Error::NoAdviceChosen => format!(
            "{advice} names no advice ids; leave it out to include all advice, or list the ids to include (see 'pjece list')"
        ),
        Error::NotInTherapistGuide { field } => format!(
            "{} is for the patient handout; the therapist's guide ({} therapist) lists all advice and prints nothing of one patient's, so leave it out",
            flag(*field),
            flag(Field::Audience)
        ),
        // Counted in the library's words: `7 ladder steps given`.
        Error::TooMany { .. } => error.to_string(),
        other => match (other.field(), other.detail()) {
            (Some(field), Some(detail)) => format!("{} {detail}", flag(field)),
            _ => other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every field is named by an option `pjece build` really has.
    #[test]
    fn every_field_has_an_option_of_build() {
        let cli = super::super::args::Cli::command();
        let build = cli.find_subcommand("build").expect("a build command");
        let options: Vec<String> = build
            .get_arguments()
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect();
        for &field in Field::ALL {
            assert!(
                options.iter().any(|o| o == flag(field)),
                "{field:?}: {} is not an option of build",
                flag(field)
            );
        }
    }

    #[test]
    fn field_errors_name_the_option() {
        let e = Error::FieldTooLong {
            field: Field::Note,
            len: 401,
            max: 400,
        };
        assert_eq!(
            e.to_string(),
            "the note is 401 characters long; at most 400 fit on the handout"
        );
        assert_eq!(
            message(&e),
            "--note is 401 characters long; at most 400 fit on the handout"
        );
        let e = Error::MissingGlyph {
            field: Some(Field::Goals),
            what: "list of 'personlig-maal'".into(),
            ch: '李',
            font: "F".into(),
        };
        assert_eq!(
            message(&e),
            "--goal contains U+674E '李', which the font F cannot show"
        );
        // Text of the content is named where it is.
        let e = Error::MissingGlyph {
            field: None,
            what: "text of 'prognose'".into(),
            ch: '李',
            font: "F".into(),
        };
        assert_eq!(
            message(&e),
            "text of 'prognose' contains U+674E '李', which the font F cannot show"
        );
    }
}
