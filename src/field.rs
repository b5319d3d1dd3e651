//! The fields a therapist fills in for one handout, named once, so every problem can be put
//! next to the input it belongs to. Each edge names a field its own way (the command line
//! `--note`, a batch file `column note`, a web form its input); the library says it in words.
//! This module is a leaf: it imports nothing of the pipeline.

/// One field of the choices for a handout, declared in the order a form lists them
/// (`Field::ALL` is derived from this list, so a new field cannot be left out of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::VariantArray)]
pub enum Field {
    /// The patient's name.
    Patient,
    /// The therapist's name.
    Therapist,
    /// The handout's date.
    Date,
    /// The region (lumbar or cervical).
    Region,
    /// Full or short wording.
    Variant,
    /// The patient handout or the therapist's guide.
    Audience,
    /// The advice ids to include.
    Advice,
    /// The advice or block ids to leave out.
    Omit,
    /// The personal note.
    Note,
    /// The patient's goals, one or many.
    Goals,
    /// Empty lines for goals written by hand.
    BlankGoals,
    /// Steps of the progression ladder, one or many.
    Steps,
    /// An empty ladder to fill in by hand.
    Ladder,
    /// The next appointment.
    Next,
    /// The QR code's web address.
    Qr,
    /// No QR code, not even the clinic's.
    NoQr,
    /// Large print.
    LargePrint,
}

impl Field {
    /// Every field, in the order a form lists them.
    pub const ALL: &'static [Field] = <Field as strum::VariantArray>::VARIANTS;

    /// The stable key a form or a JSON request names the field by (`note`, `large_print`).
    /// The batch columns use the same words.
    pub fn name(self) -> &'static str {
        match self {
            Field::Patient => "name",
            Field::Therapist => "therapist",
            Field::Date => "date",
            Field::Note => "note",
            Field::Goals => "goals",
            Field::BlankGoals => "blank_goals",
            Field::Steps => "steps",
            Field::Ladder => "ladder",
            Field::Next => "next",
            Field::Qr => "qr",
            Field::NoQr => "no_qr",
            Field::Region => "region",
            Field::Variant => "variant",
            Field::Advice => "advice",
            Field::Omit => "omit",
            Field::LargePrint => "large_print",
            Field::Audience => "audience",
        }
    }

    /// The field whose key is `name` (see [`Field::name`]).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The field in plain words, as the subject of the library's own messages: `the note is
    /// 401 characters long`. A goal and a step are named one at a time, as they are checked.
    pub fn words(self) -> &'static str {
        match self {
            Field::Patient => "the patient's name",
            Field::Therapist => "the therapist's name",
            Field::Date => "the date",
            Field::Note => "the note",
            Field::Goals => "a goal",
            Field::BlankGoals => "the choice of empty goal lines",
            Field::Steps => "a ladder step",
            Field::Ladder => "the choice of an empty ladder",
            Field::Next => "the next appointment",
            Field::Qr => "the QR address",
            Field::NoQr => "the choice of no QR code",
            Field::Region => "the region",
            Field::Variant => "the variant",
            Field::Advice => "the choice of advice",
            Field::Omit => "the choice of ids to leave out",
            Field::LargePrint => "the choice of large print",
            Field::Audience => "the audience",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_one_stable_key() {
        for &field in Field::ALL {
            let name = field.name();
            assert!(
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
            assert_eq!(Field::from_name(name), Some(field), "{name}");
        }
        let mut sorted = Field::ALL.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), Field::ALL.len(), "a field is listed twice");
        assert_eq!(Field::from_name("patient"), None, "the key is `name`");
    }
}
